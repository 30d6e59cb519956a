from django.core.management.base import BaseCommand

from canvases import services


class Command(BaseCommand):
    help = "Delete for good the canvases and notes that have been in the trash for over 30 days."

    def handle(self, *args, **options) -> None:
        result = services.purge_trash()
        self.stdout.write(f"Purged {result.canvases} canvas(es) and {result.notes} note(s).")
