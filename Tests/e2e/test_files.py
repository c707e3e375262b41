"""Files holding members' data are owner-only and never written over or through a link:
the data directory, the database, backups, exports and dropped mail (issue #12)."""
import os
import stat
import subprocess
import tempfile

from conftest import ROOT

BINARY = os.environ.get("KITH_BIN", os.path.join(ROOT, ".build", "debug", "kith"))


def kith(*arguments):
    return subprocess.run([BINARY, *arguments], capture_output=True, text=True, timeout=120)


def mode(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_data_backups_and_exports_are_owner_only_and_never_overwritten():
    old = os.umask(0o022)  # what a typical shell has: Kith must not rely on it
    try:
        root = tempfile.mkdtemp(prefix="kith-files-")
        data = os.path.join(root, "data")
        created = subprocess.run(
            [BINARY, "admin", "create", "--data-dir", data, "--email", "ada@example.org", "--name", "Ada", "--handle", "ada",
             "--password-stdin"], input="a long enough password\n", capture_output=True, text=True, timeout=120,
        )
        assert created.returncode == 0, created.stderr
        assert mode(data) == 0o700
        for name in os.listdir(data):
            if name.startswith("kith.sqlite"):
                assert mode(os.path.join(data, name)) & 0o077 == 0, (name, oct(mode(os.path.join(data, name))))

        export = os.path.join(root, "ada.json")
        result = kith("export", "--data-dir", data, "--member", "ada", "--out", export)
        assert result.returncode == 0, result.stderr
        assert mode(export) == 0o600
        again = kith("export", "--data-dir", data, "--member", "ada", "--out", export)
        assert again.returncode != 0 and "already exists" in (again.stderr + again.stdout)

        # A link planted where the export goes is not followed.
        target = os.path.join(root, "elsewhere.json")
        link = os.path.join(root, "link.json")
        os.symlink(target, link)
        linked = kith("export", "--data-dir", data, "--member", "ada", "--out", link)
        assert linked.returncode != 0 and not os.path.exists(target)

        backup = os.path.join(root, "backup.sqlite")
        result = kith("backup", "--data-dir", data, "--out", backup)
        assert result.returncode == 0, result.stderr
        assert mode(backup) & 0o077 == 0, oct(mode(backup))
        dangling = os.path.join(root, "dangling.sqlite")
        os.symlink(os.path.join(root, "nowhere.sqlite"), dangling)
        refused = kith("backup", "--data-dir", data, "--out", dangling)
        assert refused.returncode != 0 and not os.path.exists(os.path.join(root, "nowhere.sqlite"))
    finally:
        os.umask(old)


def test_a_demo_database_is_served_only_as_the_demo():
    data = tempfile.mkdtemp(prefix="kith-demo-mark-")
    process = subprocess.Popen(
        [BINARY, "serve", "--data-dir", data, "--port", "0", "--demo", "--demo-members", "30", "--bcrypt-cost", "4",
         "--log-level", "error"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        for line in process.stdout:
            if "Kith listening on" in line:
                break
    finally:
        process.terminate()
        process.wait(timeout=30)
    refused = kith("serve", "--data-dir", data, "--port", "0")
    assert refused.returncode != 0
    assert "demo community" in refused.stderr + refused.stdout, refused.stderr
    public = kith("serve", "--data-dir", tempfile.mkdtemp(), "--host", "0.0.0.0", "--port", "0", "--demo")
    assert public.returncode != 0 and "--demo-on-public-address" in public.stderr + public.stdout


def test_an_idle_connection_is_closed():
    import socket
    import time

    data = tempfile.mkdtemp(prefix="kith-idle-")
    process = subprocess.Popen(
        [BINARY, "serve", "--data-dir", data, "--port", "0", "--idle-timeout", "2", "--log-level", "error"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        port = None
        for line in process.stdout:
            if "Kith listening on" in line:
                port = int(line.rsplit(":", 1)[1])
                break
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        started = time.monotonic()
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # headers never finished
        while sock.recv(1024):  # whatever the server says, it must then close
            pass
        elapsed = time.monotonic() - started
        sock.close()
        assert 1.5 <= elapsed < 8, f"closed after {elapsed:.1f} s"
    finally:
        process.terminate()
        process.wait(timeout=30)
