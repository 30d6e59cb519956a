from django.core.management.base import BaseCommand

from canvases import services, throttles


class Command(BaseCommand):
    help = (
        "Delete for good the canvases and notes that have been in the trash for over 30 days, "
        "and the attempt counts of throttles whose window is over."
    )

    def handle(self, *args, **options) -> None:
        result = services.purge_trash()
        counters = throttles.purge_expired()
        self.stdout.write(
            f"Purged {result.canvases} canvas(es), {result.notes} note(s) "
            f"and {counters} expired attempt count(s)."
        )
