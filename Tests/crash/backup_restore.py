"""Backup and restore under load: several clients write through the HTTP API (registrations,
contacts, interactions, profile edits, RSVPs) while `kith backup` copies the live SQLite database;
the backup is restored with `kith restore` into a fresh data directory, a server starts on it, and
every write acknowledged before the backup began must be there, with integrity and foreign keys
checked. Restoring over an existing database must be refused.

Usage: python backup_restore.py KITH_BIN ROUNDS
"""
import copy
import os
import random
import subprocess
import sys
import tempfile
import threading
import time

from crash_safety import Server, create_event, register, verify, writer


def run(binary, *arguments):
    result = subprocess.run([binary, *arguments], capture_output=True, text=True, timeout=300)
    return result.returncode, (result.stdout + result.stderr).strip()


def round_trip(binary, number, rng):
    live = tempfile.mkdtemp(prefix="kith-live-")
    restored = tempfile.mkdtemp(prefix="kith-restored-")
    backup = os.path.join(tempfile.mkdtemp(prefix="kith-backup-"), "kith-backup.sqlite")
    acknowledged = {"members": [], "contacts": [], "interactions": [], "writers": [], "edits": 0}
    lock = threading.Lock()
    server = Server(binary, live)
    event = create_event(server, register(server, f"organiser-{number}"), 4)
    stop = threading.Event()
    threads = [threading.Thread(target=writer, args=(server, f"{number}-{i}", acknowledged, stop, lock, event)) for i in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(rng.uniform(1.0, 3.0))
    with lock:
        before = copy.deepcopy({key: value for key, value in acknowledged.items() if key != "writers"})
    started = time.time()
    code, output = run(binary, "backup", "--data-dir", live, "--out", backup)
    took = time.time() - started
    time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join()
    server.process.terminate()
    server.process.wait()
    if code != 0:
        sys.exit(f"kith backup failed: {output}")
    with lock:
        during = len(acknowledged["contacts"]) - len(before["contacts"])

    code, refused = run(binary, "restore", "--data-dir", live, "--from", backup)
    if code == 0 or "already exists" not in refused:
        sys.exit(f"restore over a live database was not refused: {refused}")
    code, output = run(binary, "restore", "--data-dir", restored, "--from", backup)
    if code != 0:
        sys.exit(f"kith restore failed: {output}")
    server = Server(binary, restored)
    before["writers"] = []
    lost, integrity, foreign = verify(server, restored, before)
    server.process.terminate()
    server.process.wait()
    print(f"round {number}: backup in {took:.2f} s while writing ({during} contacts acknowledged after the backup began); "
          f"restored: {len(before['members'])} members, {len(before['contacts'])} contacts, "
          f"{len(before['interactions'])} interactions acknowledged before the backup, lost {len(lost)}; "
          f"integrity {integrity[0][0]}; foreign-key problems {len(foreign)}", flush=True)
    if lost or integrity != [("ok",)] or foreign:
        print("\n".join(lost[:20]))
        sys.exit(1)


def main():
    binary, rounds = sys.argv[1], int(sys.argv[2])
    rng = random.Random(2026)
    for number in range(1, rounds + 1):
        round_trip(binary, number, rng)
    print(f"{rounds} backup-and-restore rounds under load, zero lost acknowledged writes")


if __name__ == "__main__":
    main()
