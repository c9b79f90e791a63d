"""Demo incubation projects: the six stages, and in each territory projects at every stage with their history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from repairlab import clock
from repairlab.demo import DemoContext
from repairlab.extensions import db
from repairlab.people.models import Cohort
from repairlab.projects import services
from repairlab.projects.models import Metric, ProjectStage, ProjectStatus, Sector, StageChange

STAGES = [
    ("Idée", "Une envie, un besoin repéré : on en parle avec un mentor."),
    ("Exploration", "On rencontre des clients possibles, on regarde ce qui existe déjà."),
    ("Prototypage", "On fabrique une première version du produit ou du service à l'atelier."),
    ("Test avec des utilisateurs", "De vrais clients essaient : on note ce qui marche et ce qui coince."),
    ("Préparation du lancement", "Statut, prix, local, assurance, premiers contrats."),
    ("Lancé", "L'activité tourne et se vend."),
]

# name, sector, pitch, offer, customers, pricing
IDEAS = {
    "RBX": [
        (
            "Répar'Phone Roubaix",
            Sector.PHONES,
            "Réparer les smartphones en 30 minutes sur les marchés de Roubaix, avec des pièces de récupération.",
            "Changement d'écran, de batterie et de connecteur de charge ; diagnostic gratuit.",
            "Les habitants du quartier, les étudiants, les familles qui ne peuvent pas racheter un téléphone.",
            "De 25 € (batterie) à 60 € (écran)",
        ),
        (
            "L'Atelier Recyclé",
            Sector.FURNITURE,
            "Des meubles upcyclés à partir de palettes et de meubles abandonnés, vendus en boutique éphémère.",
            "Tables basses, étagères et tabourets uniques, fabriqués sur commande.",
            "Jeunes ménages, cafés et associations du quartier de l'Épeule.",
            "Tabouret 45 €, table basse 120 €",
        ),
        (
            "Vélo Fives Service",
            Sector.BIKES,
            "Un service de réparation de vélos à domicile et en pied d'immeuble, en triporteur.",
            "Révision, crevaison, freins, dérailleur ; vente de vélos reconditionnés.",
            "Habitants de Fives et Hellemmes, salariés qui vont au travail à vélo.",
            "Révision 35 €, crevaison 12 €",
        ),
        (
            "Fil & Retouche",
            Sector.TEXTILE,
            "Un atelier de couture et de retouches qui redonne vie aux vêtements au lieu de les jeter.",
            "Ourlets, fermetures éclair, reprises, customisation de vêtements de seconde main.",
            "Particuliers, friperies et pressings du centre de Roubaix.",
            "Ourlet 8 €, fermeture éclair 15 €",
        ),
        (
            "Seconde Vie Électro",
            Sector.APPLIANCES,
            "De l'électroménager reconditionné et garanti un an, livré et installé.",
            "Lave-linge, réfrigérateurs et cuisinières révisés, garantis douze mois.",
            "Familles aux revenus modestes, bailleurs sociaux, étudiants qui s'installent.",
            "Lave-linge 150 €, réfrigérateur 120 €",
        ),
        (
            "Ordi Pour Tous",
            Sector.ELECTRONICS,
            "Des ordinateurs portables reconditionnés avec une initiation au numérique.",
            "Portables reconditionnés avec logiciels libres et deux heures d'initiation.",
            "Demandeurs d'emploi, collégiens, personnes âgées.",
            "Portable 140 €, initiation incluse",
        ),
    ],
    "PAR": [
        (
            "Cycl'Hop Montreuil",
            Sector.BIKES,
            "Un atelier de réparation de vélos mobile qui passe dans les entreprises de Montreuil.",
            "Révisions sur le lieu de travail, contrats d'entretien de flottes.",
            "Entreprises et administrations qui ont des flottes de vélos, leurs salariés.",
            "Forfait flotte 300 € par mois",
        ),
        (
            "Les Chaises Musicales",
            Sector.FURNITURE,
            "Rempaillage, recannage et relooking de chaises anciennes récupérées en ressourcerie.",
            "Chaises restaurées à l'unité ou par lots pour les restaurants.",
            "Restaurants, particuliers, brocantes du 20e arrondissement.",
            "Chaise restaurée 60 €",
        ),
        (
            "Couture du Canal",
            Sector.TEXTILE,
            "Des sacs et accessoires cousus dans des chutes de tissu et des bâches publicitaires.",
            "Sacs, trousses, tabliers en séries courtes ; ateliers d'initiation à la couture.",
            "Boutiques de créateurs, comités d'entreprise, particuliers.",
            "Sac 35 €, atelier 20 € la séance",
        ),
        (
            "Allô Lave-Linge",
            Sector.APPLIANCES,
            "Le dépannage d'électroménager à domicile, rapide et moins cher qu'un remplacement.",
            "Diagnostic et réparation à domicile, pièces d'occasion testées.",
            "Locataires des bailleurs sociaux de Montreuil et Bagnolet.",
            "Déplacement 30 €, réparation au devis",
        ),
        (
            "Écran Neuf",
            Sector.PHONES,
            "Un comptoir de réparation de téléphones et tablettes dans une recyclerie.",
            "Écrans, batteries, récupération de données, vente de téléphones reconditionnés.",
            "Clients de la recyclerie, lycéens, commerçants du marché de la Croix-de-Chavaux.",
            "Écran 55 €, batterie 30 €",
        ),
    ],
    "MRS": [
        (
            "Vélo Phocéen",
            Sector.BIKES,
            "La remise en état de vélos abandonnés, revendus à petit prix aux habitants des quartiers nord.",
            "Vélos reconditionnés, antivol et révision à six mois compris.",
            "Habitants des quartiers nord, étudiants d'Aix-Marseille Université.",
            "Vélo de ville 90 €",
        ),
        (
            "Bois Flotté Design",
            Sector.FURNITURE,
            "Des luminaires et petits meubles en bois de récupération et bois flotté.",
            "Lampes, miroirs, étagères en petites séries.",
            "Boutiques de décoration du Panier, hôtels et gîtes.",
            "Lampe 70 €, miroir 55 €",
        ),
        (
            "Retouches de la Belle de Mai",
            Sector.TEXTILE,
            "Un atelier de retouches et de réparation de vêtements de travail.",
            "Retouches, renforts et réparations de vêtements professionnels.",
            "Artisans, entreprises du BTP, particuliers du quartier.",
            "Retouche à partir de 7 €",
        ),
        (
            "Répare Électro Provence",
            Sector.APPLIANCES,
            "Du petit électroménager réparé et revendu avec garantie dans la ressourcerie d'Aix.",
            "Cafetières, aspirateurs, fours micro-ondes réparés et garantis six mois.",
            "Clients de la ressourcerie, étudiants, familles.",
            "Entre 15 € et 60 €",
        ),
        (
            "Tri Malin",
            Sector.RECYCLING,
            "La collecte et le démontage d'appareils en fin de vie pour revendre les pièces détachées.",
            "Pièces détachées testées, vendues en ligne et aux ateliers de réparation.",
            "Réparateurs indépendants, repair cafés, particuliers bricoleurs.",
            "Pièce détachée de 3 € à 40 €",
        ),
    ],
}

STAGE_NOTES = [
    "",
    "Premiers entretiens avec des clients possibles : le besoin est confirmé.",
    "L'étude de marché est faite ; on passe à la fabrication d'une première version.",
    "Le prototype tient la route : on le fait essayer à de vrais clients.",
    "Les retours des clients sont bons ; on prépare le statut et les prix.",
    "Premières ventes régulières : l'activité est lancée.",
]

SESSION_NOTES = [
    (
        "Tour de table sur l'idée de départ et les envies de chacun. Point sur le temps disponible.",
        "Se retrouver toutes les trois semaines.",
        ["Lister cinq clients possibles à rencontrer", "Chercher deux concurrents dans le quartier"],
    ),
    (
        "Retour des rencontres avec les clients : le prix envisagé paraît trop élevé pour certains.",
        "Tester deux prix différents pendant un mois.",
        ["Calculer le prix de revient d'une prestation", "Préparer un flyer simple"],
    ),
    (
        "Point sur les pièces et le matériel : une partie peut venir de l'atelier.",
        "Réserver l'atelier deux demi-journées par semaine.",
        ["Demander trois devis pour les pièces", "Réserver l'outillage auprès du responsable d'atelier"],
    ),
    (
        "Bilan du mois : les premiers clients reviennent et en parlent autour d'eux.",
        "Ouvrir un compte bancaire séparé pour l'activité.",
        ["Prendre rendez-vous avec la banque", "Se renseigner sur le statut de micro-entrepreneur"],
    ),
]

PRIVATE_NOTE = (
    "Situation personnelle difficile (logement) : orientation vers l'assistante sociale de la mission locale. "
    "À ne pas partager avec l'équipe.",
    "Alléger les objectifs du mois prochain.",
    ["Appeler la mission locale avec l'accord de la personne"],
)

# One milestone per stage, the one that lets the project move on: those of the stages behind it are done, the
# current one is due (late on some projects), the next one comes later.
MILESTONES = [
    "Rencontrer dix clients possibles",
    "Calculer le prix de revient",
    "Fabriquer la première version",
    "Faire essayer le prototype à cinq clients",
    "Ouvrir le statut de micro-entrepreneur",
    "Atteindre 1 000 € de ventes par mois",
]


def _stages() -> list[ProjectStage]:
    existing = list(db.session.scalars(sa.select(ProjectStage).order_by(ProjectStage.position)))
    if existing:
        return existing
    stages = []
    for name, description in STAGES:
        stages.append(services.create_stage(None, name, description=description))
    return stages


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


def _seed_project(ctx: DemoContext, code: str, index: int, idea: tuple, stages: list[ProjectStage]) -> None:
    territory = ctx.territories[code]
    prefix = code.lower()
    today = clock.today()
    mentor = ctx.users[f"mentor.{prefix}@repairlab.demo"]
    mentor2 = ctx.users[f"mentor2.{prefix}@repairlab.demo"]
    talents = [ctx.users[f"talent{n}.{prefix}@repairlab.demo"] for n in range(1, 13)]
    # Teams of one to three talents, never sharing a talent; talent1 (a demo account) is in the first team.
    sizes = [1 + n % 3 for n in range(index + 1)]
    offset = sum(sizes[:-1]) % len(talents)
    team = talents[offset : offset + sizes[-1]] or talents[:1]
    cohort_id = db.session.scalar(
        sa.select(Cohort.id).where(Cohort.territory_id == territory.id).order_by(Cohort.start_date).limit(1)
    )
    stage_index = min(index, len(stages) - 1)
    if index == len(IDEAS[code]) - 1:
        stage_index = len(stages) - 1
    start = today - timedelta(days=70 + 45 * stage_index)
    name, sector, pitch, offer, customers, pricing = idea
    project = services.create_project(
        mentor,
        territory,
        services.ProjectFields(
            name=name,
            sector=sector,
            pitch=pitch,
            offer=offer,
            customers=customers,
            pricing=pricing,
            cohort_id=cohort_id,
            start_date=start,
        ),
        team=team,
        mentors=[mentor] if index % 2 == 0 else [mentor, mentor2],
        stage=stages[0],
    )
    # The stage history, dated between the start and today.
    first = db.session.scalar(sa.select(StageChange).where(StageChange.project_id == project.id))
    first.changed_at = _at(start)
    step = (today - start).days // (stage_index + 1)
    for k in range(1, stage_index + 1):
        change = services.move_project(
            mentor2 if index % 2 and not k % 2 else mentor, project, stages[k], note=STAGE_NOTES[k]
        )
        change.changed_at = _at(start + timedelta(days=step * k))
        project.stage_changed_at = change.changed_at
    # Milestones: done for the stages behind, the current one due (ten days late on every other project), the next
    # one later on.
    for k, title in enumerate(MILESTONES[: stage_index + 2]):
        if k < stage_index:
            due = start + timedelta(days=step * (k + 1) - 7)
        elif k == stage_index:
            due = today + timedelta(days=-10 if index % 2 else 12 + 4 * index)
        else:
            due = today + timedelta(days=45 + 5 * index)
        milestone = services.add_milestone(mentor, project, title, due)
        if k < stage_index:
            milestone.done_on = due - timedelta(days=2)
    # Sessions every three weeks; the fourth project of each territory has not been seen for six weeks.
    last = today - timedelta(days=45 if index == 3 else 3 + 2 * index)
    count = min(2 + stage_index, len(SESSION_NOTES))
    for k in range(count):
        held_on = last - timedelta(days=21 * (count - 1 - k))
        if held_on < start:
            continue
        notes, decisions, actions = SESSION_NOTES[k]
        open_ids = [a.id for a in services.open_actions(project, include_private=True)][:1]
        services.record_session(
            mentor,
            project,
            held_on=held_on,
            duration_minutes=60 + 15 * (k % 3),
            notes=notes,
            decisions=decisions,
            actions=[
                services.ActionDraft(text, team[n % len(team)].id, held_on + timedelta(days=14))
                for n, text in enumerate(actions)
            ],
            closed_action_ids=open_ids,
        )
    if index == 2:
        notes, decisions, actions = PRIVATE_NOTE
        services.record_session(
            mentor,
            project,
            held_on=last - timedelta(days=10),
            duration_minutes=30,
            notes=notes,
            decisions=decisions,
            private=True,
            actions=[services.ActionDraft(actions[0], mentor.id)],
        )
    # Figures once the project meets customers: monthly revenue, customers, mentoring hours; jobs once launched.
    if stage_index >= 3:
        months = 2 + stage_index
        for m in range(months):
            day = today - timedelta(days=30 * (months - m))
            growth = (m + 1) * (40 + 15 * index)
            services.add_figure(mentor, project, Metric.REVENUE, day, growth * 3)
            services.add_figure(mentor, project, Metric.CUSTOMERS, day, (m + 1) * (2 + index))
            services.add_figure(mentor, project, Metric.MENTORING_HOURS, day, 2 + m % 2)
        if stage_index == len(stages) - 1:
            services.add_figure(mentor, project, Metric.JOBS, today - timedelta(days=15), 1)
    # Status: the last stage is launched; one stopped project (Roubaix) and one paused (Paris).
    if stage_index == len(stages) - 1:
        services.set_status(mentor, project, ProjectStatus.LAUNCHED)
    elif code == "RBX" and index == 1:
        services.set_status(
            mentor,
            project,
            ProjectStatus.STOPPED,
            "La porteuse du projet a signé un CDI dans une entreprise d'ameublement ; "
            "elle reste bénévole à l'atelier et transmet ses plans.",
        )
    elif code == "PAR" and index == 2:
        services.set_status(mentor, project, ProjectStatus.PAUSED, "Pause de deux mois (formation qualifiante).")


def seed_projects(ctx: DemoContext) -> None:
    """The six stages, and five or six projects per territory spread over them."""
    stages = _stages()
    for code, ideas in IDEAS.items():
        if code not in ctx.territories:
            continue
        for index, idea in enumerate(ideas):
            _seed_project(ctx, code, index, idea, stages)
    db.session.flush()
