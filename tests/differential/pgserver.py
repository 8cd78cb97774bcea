"""A private, throw-away PostgreSQL 15 server for the differential test.

PgServer installs Debian's postgresql package when it is missing (quietly, as
scripts/setup.sh installs its packages), runs initdb into a fresh temporary
directory (UTF8, C locale, so text sorts bytewise as tarn's does), starts the
server on a free port with its unix socket in that directory and no TCP
listener, and stops it and removes the directory on close, however the run
ends (context manager, atexit and SIGTERM/SIGINT handlers).  When the test
runs as root the server runs as the `postgres` user, which owns the directory.

run_script() feeds one psql script through `psql -X -q --csv` and returns its
standard output; the protocol around it (markers, \\gdesc, SQLSTATEs) lives in
engines.py.
"""
import atexit
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile

PG_BIN = "/usr/lib/postgresql/15/bin"


def ensure_installed():
    """Installs the postgresql package when dpkg does not list it as installed."""
    status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", "postgresql"],
                            capture_output=True, text=True)
    if "install ok installed" in status.stdout and os.path.exists(os.path.join(PG_BIN, "initdb")):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True, stdout=subprocess.DEVNULL, env=env)
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "postgresql"], check=True,
                   stdout=subprocess.DEVNULL, env=env)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PgServer:
    def __init__(self):
        self.directory = None
        self.port = None
        self.running = False
        self.as_postgres = os.geteuid() == 0

    def _command(self, argv):
        """Runs argv as the server's owner (postgres when we are root)."""
        if self.as_postgres:
            argv = ["runuser", "-u", "postgres", "--"] + argv
        return argv

    def start(self):
        ensure_installed()
        self.directory = tempfile.mkdtemp(prefix="tarn-difftest-pg-")
        if self.as_postgres:
            entry = pwd.getpwnam("postgres")
            os.chown(self.directory, entry.pw_uid, entry.pw_gid)
        atexit.register(self.stop)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        data = os.path.join(self.directory, "data")
        subprocess.run(self._command([os.path.join(PG_BIN, "initdb"), "-D", data, "-E", "UTF8",
                                      "--locale=C", "-A", "trust", "-U", "postgres"]),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.port = free_port()
        options = (f"-p {self.port} -k {self.directory} -c listen_addresses='' -c TimeZone=UTC "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_parallel_workers_per_gather=0")
        subprocess.run(self._command([os.path.join(PG_BIN, "pg_ctl"), "-D", data, "-o", options,
                                      "-l", os.path.join(self.directory, "server.log"), "-w", "start"]),
                       check=True, stdout=subprocess.DEVNULL)
        self.running = True
        return self

    def _on_signal(self, signum, _frame):
        self.stop()
        raise SystemExit(128 + signum)

    def stop(self):
        if self.running:
            subprocess.run(self._command([os.path.join(PG_BIN, "pg_ctl"), "-D",
                                          os.path.join(self.directory, "data"), "-m", "immediate", "stop"]),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.running = False
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *_exc):
        self.stop()

    def run_script(self, text, timeout=600):
        """Runs a psql script and returns (stdout, stderr); psql keeps going after errors."""
        proc = subprocess.run(["psql", "-X", "-q", "--csv", "-h", self.directory, "-p", str(self.port),
                               "-U", "postgres", "-d", "postgres", "-f", "-"],
                              input=text, capture_output=True, text=True, timeout=timeout,
                              env=dict(os.environ, PGTZ="UTC", PGCLIENTENCODING="UTF8"))
        return proc.stdout, proc.stderr
