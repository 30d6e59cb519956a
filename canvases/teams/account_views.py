"""A member's own account: the address, its verification, what they want emailed, and the
password reset that reaches them there."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetConfirmView, PasswordResetView
from django.db import IntegrityError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from canvas_site.htmx import HtmxHttpRequest, after_write
from canvases import throttles
from canvases.models import account_of

from . import accounts, verification
from .accounts import Verification
from .forms import ADDRESS_TAKEN, EmailForm, NotificationsForm, VerifiedPasswordResetForm

SENT_TO = "We sent a link to {email}: open it to confirm the address."
TOO_MANY = "Several links went out in the last hour: use the newest, or ask again later."


def settings_url() -> str:
    return reverse("canvases:account-email")


def site_of(request: HtmxHttpRequest) -> str:
    return request.build_absolute_uri("/")


def email_page(request: HtmxHttpRequest, *, form=None, status: int = 200) -> HttpResponse:
    user = request.user
    account = account_of(user)
    context = {
        "account": account,
        "form": form or EmailForm(initial={"email": user.email}, user=user),
        "notifications": NotificationsForm(initial={"mention_emails": account.mention_emails}),
    }
    return render(request, "teams/account_email.html", context, status=status)


def tell(request: HtmxHttpRequest, outcome: Verification | None, email: str) -> None:
    if outcome is Verification.SENT:
        messages.success(request, SENT_TO.format(email=email))
    elif outcome is Verification.TOO_MANY:
        messages.warning(request, TOO_MANY)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def account_email(request: HtmxHttpRequest) -> HttpResponse:
    """The "Email and notifications" page; POST changes the address."""
    if request.method != "POST":
        return email_page(request)
    form = EmailForm(request.POST, user=request.user)
    if not form.is_valid():
        return email_page(request, form=form, status=422)
    email = form.cleaned_data["email"]
    try:
        outcome = accounts.change_email(user=request.user, email=email, site=site_of(request))
    except IntegrityError:  # another account took the address a moment ago
        request.user.refresh_from_db()
        form.add_error("email", ADDRESS_TAKEN)
        return email_page(request, form=form, status=422)
    if outcome is None:
        messages.info(request, "That is already your address.")
    elif not email:
        messages.success(request, "Your address is removed: you will get no email from us.")
    tell(request, outcome, email)
    return after_write(request, settings_url())


@require_POST
@login_required
def email_verification_resend(request: HtmxHttpRequest) -> HttpResponse:
    outcome = accounts.resend_verification(user=request.user, site=site_of(request))
    if outcome is Verification.NOT_NEEDED:
        messages.info(request, "Nothing to confirm: your address is verified, or there is none.")
    tell(request, outcome, request.user.email)
    return after_write(request, settings_url())


@require_POST
@login_required
def account_notifications(request: HtmxHttpRequest) -> HttpResponse:
    form = NotificationsForm(request.POST)
    form.is_valid()  # a checkbox: absent is off, anything present is on
    on = form.cleaned_data.get("mention_emails", False)
    if accounts.set_mention_emails(user=request.user, on=on):
        messages.success(
            request, "We will email you when someone mentions you." if on else
            "We will not email you when someone mentions you."
        )  # fmt: skip
    return after_write(request, settings_url())


@require_http_methods(["GET", "HEAD", "POST"])
def email_verify(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The link in the verification email. Opening it shows what it confirms; the button
    confirms (a mail scanner that fetches every link confirms nothing)."""
    proof = verification.check_token(token)
    if proof is None:
        return render(request, "teams/email_verify_invalid.html", status=404)
    if request.method != "POST":
        return render(request, "teams/email_verify.html", {"proof": proof})
    accounts.confirm_email(proof=proof)
    messages.success(request, f"{proof.email} is confirmed. Thank you!")
    if request.user.is_authenticated and request.user.pk == proof.user.pk:
        return after_write(request, settings_url())
    return after_write(request, reverse("login"))


class InvalidIs422:
    """Django's form views answer an invalid form with 200; the app's answer is 422."""

    def form_invalid(self, form) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=422)


class NewPasswordView(InvalidIs422, PasswordResetConfirmView):
    """The page a reset link opens (Django's, with its token checks)."""


class ThrottledPasswordResetView(InvalidIs422, PasswordResetView):
    """Django's reset (it answers the same whether the address exists or not), to verified
    addresses only, and at most a few links per address and hour so that nobody can flood
    an inbox: past that the answer is the same and no link goes out."""

    form_class = VerifiedPasswordResetForm

    def form_valid(self, form) -> HttpResponse:
        key = f"password-reset:{form.cleaned_data['email'].casefold()}"
        if throttles.over_limit(key, limit=settings.PASSWORD_RESETS_PER_HOUR, window=3600):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
