from django.apps import AppConfig


class SegmentsConfig(AppConfig):
    name = "segments"
    verbose_name = "Customer segments"

    def ready(self) -> None:
        # Segments build on canvases: canvases know them only through these extension points.
        from canvases import registry

        from .canvas_extension import SegmentsOnCanvases

        registry.register(SegmentsOnCanvases())
