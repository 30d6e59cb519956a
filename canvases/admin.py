from django.contrib import admin

from .models import Block, Canvas, Invitation, Membership, Note, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Canvas)
class CanvasAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "updated_at", "revision", "deleted_at"]
    list_filter = ["deleted_at"]
    search_fields = ["title"]
    raw_id_fields = ["created_by", "updated_by", "deleted_by"]


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "block", "colour", "position", "version", "deleted_at"]
    raw_id_fields = ["block", "author", "deleted_by"]


admin.site.register(Block)
admin.site.register(Invitation)
