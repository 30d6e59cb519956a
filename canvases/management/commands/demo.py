from django.core.management.base import BaseCommand

from canvases.demo import DEMO_PASSWORD, DEMO_USERNAME, load_demo


class Command(BaseCommand):
    help = "Load the demo user, team and example canvas (safe to run again)."

    def handle(self, *args, **options) -> None:
        result = load_demo()
        state = "created" if result.canvas_created else "already there"
        self.stdout.write(f"Demo canvas {state}: “{result.canvas.title}”.")
        self.stdout.write(f"Demo login: {DEMO_USERNAME} / {DEMO_PASSWORD}")
