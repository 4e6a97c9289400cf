"""Throwaway servers the fault tests can stop, kill and start again.

The machine's own PostgreSQL and Redis are shared (other test runs, CI) and are never
touched: each fault test starts its own Redis, PostgreSQL cluster, SMTP sink, web server
(gunicorn) and Celery workers on free ports, and stops them afterwards.
"""

import glob
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import requests
from django.conf import settings

# How often the waits below look again; every wait also has its own deadline.
POLL_SECONDS = 0.05
START_SECONDS = 60
STOP_SECONDS = 30
# An answer slower than this is a hang, never a slow success.
REQUEST_SECONDS = 15


class NotInTime(AssertionError):
    pass


def wait_for(done: Callable[[], object], *, seconds: float, what: str, log: Callable[[], str] = str) -> None:
    """Poll ``done`` until it is true; fail with ``what`` (and ``log()``) after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise NotInTime(f"{what}: not within {seconds}s\n{log()}")
        time.sleep(POLL_SECONDS)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_bindir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def postgres_command(name: str, *args: str) -> list[str]:
    """A PostgreSQL client program (pg_dump, psql) of the same version as the throwaway server."""
    bindir = _postgres_bindir()
    assert bindir is not None, missing_tools()
    return [str(bindir / name), *args]


def missing_tools() -> str | None:
    """Why the fault tests cannot run here, or None (used by tests/conftest.py's markers)."""
    if not shutil.which("redis-server"):
        return "the fault tests need redis-server (Debian's redis-server package)"
    if _postgres_bindir() is None:
        return "the fault tests need PostgreSQL's initdb and pg_ctl (Debian's postgresql package)"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "as root, the fault tests need runuser to start PostgreSQL as the postgres user"
    return None


def _stop(process: subprocess.Popen, *, kill: bool = False) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _start(command: list[str], *, log_path: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    with log_path.open("ab") as log:
        return subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _tail(path: Path, chars: int = 4000) -> str:
    try:
        return f"--- {path.name} ---\n" + path.read_text(encoding="utf-8", errors="replace")[-chars:]
    except FileNotFoundError:
        return f"--- {path.name}: no log ---"


# Redis


@dataclass
class RedisServer:
    """A Redis of our own, killed and started again on the same port; it keeps nothing on disk."""

    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = _start(command, log_path=self.log_path)
        wait_for(self.answers, seconds=START_SECONDS, what="own Redis starting", log=self.log)

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=1).ping())
        except redis.RedisError:
            return False

    def kill(self) -> None:
        """SIGKILL: the server vanishes, as when its machine or container dies."""
        if self.process is not None:
            _stop(self.process, kill=True)

    def freeze(self) -> None:
        """SIGSTOP: the server still holds its port, and the kernel takes connections for it,
        but it answers nothing, as when it hangs, swaps or sits behind a network dropping packets."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def log(self) -> str:
        return _tail(self.log_path)


# SMTP


@dataclass
class ReceivedEmail:
    to: tuple[str, ...]
    message: Message

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])


class SmtpSink(socketserver.ThreadingTCPServer):
    """A tiny SMTP server that keeps every message it accepts, in order.

    ``hold`` (when set) is called with each message once its data has arrived and before the
    "250 accepted" reply: a test can block there to kill a sender in the middle of SMTP.
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.received: list[ReceivedEmail] = []
        self.lock = threading.Lock()
        self.hold: Callable[[ReceivedEmail], None] | None = None
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.server_address[1]}?timeout=10"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()

    def handle_error(self, request, client_address) -> None:
        # A sender killed mid-conversation breaks the connection: expected here, and not
        # worth a traceback on the console.
        pass

    def keep(self, email: ReceivedEmail) -> None:
        with self.lock:
            self.received.append(email)

    def messages(self) -> list[ReceivedEmail]:
        with self.lock:
            return list(self.received)


class _SmtpHandler(socketserver.StreamRequestHandler):
    server: SmtpSink
    timeout = 30

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        self.reply("220 sink ESMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-sink")
                self.reply("250 8BITMIME")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go ahead")
                self._data(tuple(recipients))
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # HELO, RSET, NOOP
                self.reply("250 OK")

    def _data(self, recipients: tuple[str, ...]) -> None:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        email = ReceivedEmail(to=recipients, message=message_from_bytes(b"".join(lines)))
        # Kept before it is acknowledged, as a real server that has queued it: a sender that
        # dies now cannot know whether it was delivered.
        self.server.keep(email)
        if self.server.hold is not None:
            self.server.hold(email)
        self.reply("250 accepted")


# The site and its workers, as subprocesses on the servers above.


def app_env(*, database_url: str, redis_url: str = "", email_url: str = "console:", **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DATABASE_URL", "EMAIL_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="pact.settings",
        DATABASE_URL=database_url,
        EMAIL_URL=email_url,
        # Plain HTTP on a loopback port, with static files served from static/ as in the tests.
        PACT_HTTPS="false",
        PACT_MANIFEST_STATIC="false",
        ALLOWED_HOSTS="127.0.0.1",
        PACT_LOG_LEVEL="WARNING",
    )
    if redis_url:
        env.update(REDIS_URL=redis_url, CELERY_TASK_ALWAYS_EAGER="false")
    env.update(extra)
    return env


@dataclass
class WebServer:
    """gunicorn serving PACT on a free port."""

    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "pact.wsgi:application", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", "2", "--threads", "4", "--timeout", "60", "--graceful-timeout", "5"]
        # Several servers run at once (other tests, the benchmark): none needs a control socket.
        command += ["--no-control-socket"]
        self.process = _start(command, log_path=self.log_path, env=self.env)
        try:
            wait_for(self._answers, seconds=START_SECONDS, what="gunicorn starting", log=self.log)
        except BaseException:
            # Never leave a server behind holding the test database open.
            _stop(self.process)
            raise

    def _answers(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited\n{self.log()}")
        try:
            return requests.get(self.url + "/healthz", timeout=5).status_code in {200, 503}
        except (requests.ConnectionError, requests.Timeout):
            # Still starting (a busy machine can take longer than one request's timeout).
            return False

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)

    def log(self) -> str:
        return _tail(self.log_path)


@dataclass
class Worker:
    """A Celery worker process (solo pool) on its own queue."""

    env: dict[str, str]
    queue: str
    log_path: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        celery = Path(sys.executable).with_name("celery")
        command = [str(celery), "-A", "pact", "worker", "--pool=solo", "--loglevel=INFO", "-Q", self.queue]
        command += ["-n", f"{self.queue}-{time.monotonic_ns()}@%h", "--without-gossip", "--without-mingle"]
        command += ["--without-heartbeat"]
        self.process = _start(command, log_path=self.log_path, env={**self.env, "PACT_CELERY_QUEUE": self.queue})

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, nothing acknowledged or given back to the broker."""
        if self.process is not None:
            _stop(self.process, kill=True)

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)

    def log(self) -> str:
        return _tail(self.log_path, 8000)


# PostgreSQL


@dataclass
class PostgresCluster:
    """A throwaway PostgreSQL cluster in a temporary directory, restarted at will.

    initdb and postgres refuse to run as root, so as root (CI) the cluster belongs to the
    postgres user and is run through runuser.
    """

    port: int = field(default_factory=free_port)
    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="pact-faults-pg-")))

    @property
    def log_path(self) -> Path:
        # Inside the cluster's own directory: the server writes it as the cluster's owner.
        return self.directory / "server.log"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/pact"

    def _run_as_owner(self, *command: str) -> list[str]:
        bindir = _postgres_bindir()
        assert bindir is not None, missing_tools()
        command_list = [str(bindir / command[0]), *command[1:]]
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *command_list]
        return command_list

    def _run(self, *command: str) -> None:
        # The commands' own output; the server (as the owner) writes log_path.
        with (self.directory / "commands.log").open("ab") as log:
            subprocess.run(
                self._run_as_owner(*command),
                check=True,
                cwd=self.directory,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                timeout=120,
            )

    def create(self) -> None:
        if os.geteuid() == 0:
            import pwd

            owner = pwd.getpwnam("postgres")
            os.chown(self.directory, owner.pw_uid, owner.pw_gid)
        data = str(self.directory / "data")
        self._run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "pact")

    def _options(self) -> str:
        return f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"

    def start(self) -> None:
        data = str(self.directory / "data")
        self._run("pg_ctl", "-D", data, "-l", str(self.log_path), "-o", self._options(), "-w", "-t", "60", "start")

    def restart(self) -> None:
        """A fast restart: sessions are ended, transactions in flight rolled back."""
        data = str(self.directory / "data")
        self._run(
            "pg_ctl", "-D", data, "-l", str(self.log_path), "-o", self._options(), "-m", "fast", "-w", "-t", "60",
            "restart",
        )  # fmt: skip

    def stop(self) -> None:
        """A fast shutdown, and the server stays down: sessions ended, new connections refused."""
        self._run("pg_ctl", "-D", str(self.directory / "data"), "-m", "fast", "-w", "-t", "60", "stop")

    def destroy(self) -> None:
        data = self.directory / "data"
        if (data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "-t", "60", "stop")
        shutil.rmtree(self.directory, ignore_errors=True)

    def log(self) -> str:
        return _tail(self.directory / "commands.log") + "\n" + _tail(self.log_path)


# Residents


def resident(web: "WebServer", form_path: str) -> requests.Session:
    """A browser-like session that has loaded the form at ``form_path`` (so holds its CSRF cookie)."""
    session = requests.Session()
    response = session.get(web.url + form_path, timeout=REQUEST_SECONDS)
    assert response.status_code == 200, (form_path, response.status_code, web.log())
    return session


def form_post(session: requests.Session, url: str, answers: dict[str, str], *, address: str) -> requests.Response:
    """POST a form as the resident at ``address`` (our proxy's X-Forwarded-For), not following the redirect."""
    data = {**answers, "website": "", "csrfmiddlewaretoken": session.cookies["csrftoken"]}
    headers = {"X-Forwarded-For": address, "Referer": url}
    return session.post(url, data=data, headers=headers, allow_redirects=False, timeout=REQUEST_SECONDS)
