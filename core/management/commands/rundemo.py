"""`make run`: migrate, load the demo province once, start the web server and a Celery worker
with beat, print where to sign in, and stop everything on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the demo: web server, Celery worker and beat, with the demo province loaded."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true", help="Start the web server only.")

    def handle(self, *args: Any, host: str, port: int, no_worker: bool, **options: Any) -> None:
        from core.demo import seed_demo

        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)

        self.stdout.write("Cập nhật cơ sở dữ liệu (migrate)…")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Nạp dữ liệu mẫu của tỉnh (lần đầu mất khoảng một phút)…")
        credentials = seed_demo(scale="small", stdout=self.stdout)

        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        commands = [[*manage, "runserver", f"{host}:{port}", "--noreload"]]
        if not no_worker:
            commands.append(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--beat",
                    "--loglevel",
                    "INFO",
                    "--concurrency",
                    "1",
                    "--schedule",
                    settings.CELERY_BEAT_SCHEDULE_FILENAME,
                ]
            )
        # The development server serves static files only with DEBUG on; the demo is local.
        env = {**os.environ, "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "true")}
        # Own sessions: Ctrl-C reaches only this process, which then stops the children in order.
        children = [
            subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, start_new_session=True)  # noqa: S603 - fixed argv
            for command in commands
        ]

        url = f"http://{host}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"\nThi đua đang chạy tại {url}"))
        self.stdout.write(f"Quản trị (Django admin): {url}admin/")
        self.stdout.write(f"Mật khẩu chung của các tài khoản demo: {credentials.password}")
        for username, role in credentials.users:
            self.stdout.write(f"  {username:<12} {role}")
        self.stdout.write("Nhấn Ctrl-C để dừng tất cả.\n")

        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        while not stopping:
            for child in children:
                if child.poll() is not None:
                    self.stderr.write(
                        f"Tiến trình {child.args[2:4]} đã dừng (mã {child.returncode}); dừng tất cả."
                    )
                    stopping, exit_code = True, 1
            time.sleep(0.5)

        self.stdout.write("Đang dừng…")
        for child in children:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        self.stdout.write("Đã dừng.")
        if exit_code:
            sys.exit(exit_code)
