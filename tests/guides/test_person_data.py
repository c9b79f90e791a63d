"""What guides hold about a person is in their own data download (JSON and the CSV ZIP, through a real server)."""

from __future__ import annotations

import io
import json
import zipfile

from repairlab.extensions import db
from repairlab.guides import services
from repairlab.guides.models import CreditChoice, Helped
from repairlab.repairs import tickets
from tests.guides.helpers import ords, write

PROPOSE = services.SaveAction.PROPOSE


def test_a_talent_downloads_the_guides_they_wrote_credited_and_followed(
    writer, mentor, manager, lab, territory, live_client
):
    guide = write(writer, territory, action=PROPOSE, title="Bouilloire qui ne chauffe plus")
    services.publish(mentor, guide)
    services.set_credit(writer, guide, CreditChoice.FIRST_NAME)
    ticket = tickets.take_in(manager, lab, tickets.IntakeFields(category_id=ords("Kettle"), problem="Froide"))
    services.record_use(writer, ticket, guide, Helped.YES)
    write(manager, territory, title="Le guide de quelqu’un d’autre")  # not the talent's
    db.session.commit()

    visitor = live_client(writer)
    data = json.loads(visitor.get("/programme/my-data.json").text)
    [version] = data["guide_versions"]
    assert (version["guide"], version["version"], version["title"], version["kind"]) == (
        guide.slug,
        1,
        "Bouilloire qui ne chauffe plus",
        "repair",
    )
    assert [(c["guide"], c["choice"]) for c in data["guide_credits"]] == [(guide.slug, "first_name")]
    assert data["guide_publications"] == []  # the mentor published it, not the talent
    assert [(u["ticket"], u["guide"], u["helped"]) for u in data["guides_followed"]] == [
        (ticket.code, guide.slug, "yes")
    ]
    archive = zipfile.ZipFile(io.BytesIO(visitor.get("/programme/my-data.zip").body))
    assert "Bouilloire qui ne chauffe plus" in archive.read("guide_versions.csv").decode("utf-8-sig")
    assert "quelqu’un d’autre" not in json.dumps(data, ensure_ascii=False)

    published = json.loads(live_client(mentor).get("/programme/my-data.json").text)["guide_publications"]
    assert [(p["guide"], p["version"]) for p in published] == [(guide.slug, 1)]
