"""Mail over STARTTLS (RFC 3207) to a server with a certificate from a private CA: Kith upgrades
the connection before it sends the password or the message. The mail server is the outside
world, faked here with Python's ssl module; the CA and certificate are made with openssl."""
import json
import os
import socketserver
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.request

from conftest import ROOT, free_port

BINARY = os.environ.get("KITH_BIN", os.path.join(ROOT, ".build", "debug", "kith"))


def make_certificates(directory):
    def openssl(*arguments):
        subprocess.run(["openssl", *arguments], check=True, capture_output=True, cwd=directory)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=Kith test CA")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost")
    with open(os.path.join(directory, "san.cnf"), "w") as handle:
        handle.write("subjectAltName=DNS:localhost\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
            "-days", "2", "-extfile", "san.cnf")


class StartTLSHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write((line + "\r\n").encode())
        self.wfile.flush()

    def handle(self):
        self.reply("220 fake-smtp-tls ready")
        encrypted, data = False, None
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("utf-8", "replace").rstrip("\r\n")
            verb = command[:4].upper()
            if data is not None:
                if command == ".":
                    self.server.events.append(("DATA", encrypted, "\r\n".join(data)))
                    data = None
                    self.reply("250 queued")
                else:
                    data.append(command)
            elif verb == "EHLO":
                capabilities = ["250-fake-smtp-tls", "250-AUTH PLAIN"] + ([] if encrypted else ["250-STARTTLS"]) + ["250 8BITMIME"]
                self.wfile.write(("\r\n".join(capabilities) + "\r\n").encode())
                self.wfile.flush()
            elif command.upper() == "STARTTLS":
                self.reply("220 go ahead")
                tls = self.server.context.wrap_socket(self.connection, server_side=True)
                self.connection = tls
                self.rfile = tls.makefile("rb")
                self.wfile = tls.makefile("wb")
                encrypted = True
            elif verb == "AUTH":
                self.server.events.append(("AUTH", encrypted, command))
                self.reply("235 ok")
            elif verb in ("MAIL", "RCPT"):
                self.reply("250 ok")
            elif verb == "DATA":
                data = []
                self.reply("354 go ahead")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


class StartTLSServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, directory):
        super().__init__(("127.0.0.1", 0), StartTLSHandler)
        self.events = []
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(os.path.join(directory, "server.pem"), os.path.join(directory, "server.key"))


def test_mail_goes_over_starttls_before_the_password():
    directory = tempfile.mkdtemp(prefix="kith-mail-tls-")
    make_certificates(directory)
    mail = StartTLSServer(directory)
    threading.Thread(target=mail.serve_forever, daemon=True).start()
    port = free_port()
    environment = dict(os.environ, KITH_MAIL_CA_FILE=os.path.join(directory, "ca.pem"))
    process = subprocess.Popen(
        [BINARY, "serve", "--data-dir", os.path.join(directory, "data"), "--port", str(port), "--bcrypt-cost", "4",
         "--log-level", "error", "--mail-url", f"smtp://kith:s3cret@localhost:{mail.server_address[1]}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment,
    )
    try:
        for line in process.stdout:
            if "Kith listening" in line:
                break
        base = f"http://127.0.0.1:{port}"
        register = urllib.request.Request(
            base + "/api/v1/auth/register",
            data=json.dumps({"email": "tls@example.org", "password": "a long enough password", "name": "Tia", "handle": "tia"}).encode(),
            headers={"content-type": "application/json"},
        )
        urllib.request.urlopen(register)
        reset = urllib.request.Request(
            base + "/api/v1/auth/password-reset", data=json.dumps({"email": "tls@example.org"}).encode(),
            headers={"content-type": "application/json"},
        )
        assert urllib.request.urlopen(reset).status == 202
        deadline = time.time() + 45  # the outbox is sent every 30 seconds
        while time.time() < deadline and not any(kind == "DATA" for kind, _, _ in mail.events):
            time.sleep(0.5)
        kinds = [(kind, encrypted) for kind, encrypted, _ in mail.events]
        assert ("AUTH", True) in kinds, kinds
        assert ("DATA", True) in kinds, kinds
        assert all(encrypted for _, encrypted in kinds), "something was sent before STARTTLS"
        message = next(text for kind, _, text in mail.events if kind == "DATA")
        assert "Reset your Kith password" in message and "/password-reset/confirm?token=reset_" in message
    finally:
        process.terminate()
        process.wait(timeout=30)
        mail.shutdown()
