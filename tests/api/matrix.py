"""The API's routes in the web's permission matrix (tests/core/test_permissions.py): signed in with a session cookie.

A session cookie never opens the JSON API: every /api/v1/ operation is refused (401) to every role signed in with a
cookie, and to visitors; tests/api/test_matrix.py checks the same operations with each role's token. The token pages
are the web's own: one's tokens for everyone, the list of all for administrators; the description and the
browsable documentation of the API are public.
"""

from repairlab.api import tokens
from repairlab.extensions import db
from tests.permissions import ADMIN, ALL_ROLES, Route

NOBODY = frozenset()
# What a session cookie without a token gets from the JSON API, signed in or not.
UNAUTHORISED = frozenset({401})


def _token_id(w):
    if "api_token" not in w:
        token, _secret = tokens.create_token(
            w["talent"], name="Script", scopes="read", expires_on=tokens.default_expiry()
        )
        db.session.commit()
        w["api_token"] = token
    return w["api_token"].id


def _loan_id(w):
    if "api_loan" not in w:
        from repairlab.lending import services

        w["api_loan"] = services.check_out_item(w["talent"], w["item"], w["talent"], kind="in_lab")
        db.session.commit()
    return w["api_loan"].id


MATRIX = [
    Route("api.my_tokens", lambda w: "/account/api-tokens", ALL_ROLES),
    Route(
        "api.revoke_token",
        lambda w: f"/account/api-tokens/{_token_id(w)}/revoke",
        ALL_ROLES,  # a token not one's own is refused with a message, on one's own list
        method="POST",
    ),
    Route("api.all_tokens", lambda w: "/admin/api-tokens", ADMIN),
    Route("api.docs", lambda w: "/api/v1/docs", ALL_ROLES, anonymous=True),
    Route("api-docs.openapi_json", lambda w: "/api/v1/openapi.json", ALL_ROLES, anonymous=True),
    # The JSON API with a session cookie and no token: nobody.
    Route("codes.CodeResource", lambda w: f"/api/v1/codes/{w['item'].code}", NOBODY, refused=UNAUTHORISED),
    Route("items.ItemList", lambda w: "/api/v1/items", NOBODY, refused=UNAUTHORISED),
    Route("items.ItemResource", lambda w: f"/api/v1/items/{w['item'].id}", NOBODY, refused=UNAUTHORISED),
    Route("places.PlaceList", lambda w: "/api/v1/places", NOBODY, refused=UNAUTHORISED),
    Route("places.PlaceResource", lambda w: f"/api/v1/places/{w['place'].id}", NOBODY, refused=UNAUTHORISED),
    Route("loans.LoanList", lambda w: "/api/v1/loans", NOBODY, refused=UNAUTHORISED),
    Route(
        "loans.LoanList",
        lambda w: "/api/v1/loans",
        NOBODY,
        refused=UNAUTHORISED,
        method="POST",
        data=lambda w: {"item_id": w["item"].id, "kind": "in_lab"},
    ),
    Route("talents.TalentSearch", lambda w: "/api/v1/talents?q=a", NOBODY, refused=UNAUTHORISED),
    Route("loans.LoanResource", lambda w: f"/api/v1/loans/{_loan_id(w)}", NOBODY, refused=UNAUTHORISED),
    Route(
        "loans.LoanReturnResource",
        lambda w: f"/api/v1/loans/{_loan_id(w)}/return",
        NOBODY,
        refused=UNAUTHORISED,
        method="POST",
        data=lambda w: {"condition": "good"},
    ),
]
