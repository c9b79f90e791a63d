"""Demo data of the skills domain: a French catalogue, and validations and declarations for the demo talents."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image, ImageDraw

from repairlab import clock
from repairlab.demo import DemoContext
from repairlab.people.models import User
from repairlab.skills import services
from repairlab.skills.models import Skill

# (domain, description, [(skill, description, (discovered, practised, autonomous, can teach), validity)]).
# validity: None = not a safety skill; a number of months = a safety skill that must be checked again after it.
CATALOGUE = [
    (
        "Électronique et électricité",
        "Réparer les appareils électriques et électroniques du quotidien.",
        [
            (
                "Soudure à l'étain",
                "Souder et dessouder des composants et des fils sur une carte électronique.",
                (
                    "A vu une soudure et en a fait une ou deux avec quelqu'un.",
                    "Fait des soudures propres sur des fils et de gros composants, avec de l'aide.",
                    "Soude et dessoude seul des composants traversants, sans abîmer la carte.",
                    "Montre les bons gestes et vérifie les soudures des autres.",
                ),
                None,
            ),
            (
                "Utilisation du multimètre",
                "Mesurer une tension, une résistance, une continuité, sans danger.",
                (
                    "Sait à quoi sert un multimètre et a fait une mesure avec quelqu'un.",
                    "Mesure la continuité et une tension de pile, avec de l'aide pour le calibre.",
                    "Choisit seul la bonne mesure et le bon calibre, et lit le résultat.",
                    "Explique les mesures et les erreurs à éviter.",
                ),
                None,
            ),
            (
                "Diagnostic d'un petit électroménager",
                "Trouver pourquoi un appareil ne marche plus : grille-pain, bouilloire, aspirateur…",
                (
                    "A suivi le diagnostic d'un appareil.",
                    "Ouvre l'appareil et suit une méthode de diagnostic avec de l'aide.",
                    "Trouve seul la panne la plus fréquente et propose une réparation.",
                    "Guide une autre personne pendant un diagnostic.",
                ),
                None,
            ),
            (
                "Sécurité électrique",
                "Travailler hors tension, débrancher, vérifier l'absence de tension, connaître les dangers du 230 V.",
                (
                    "Connaît les dangers de l'électricité.",
                    "Applique les règles de sécurité quand on le lui rappelle.",
                    "Applique toujours seul les règles : débrancher, vérifier, signaler.",
                    "Forme les nouveaux aux règles de sécurité électrique.",
                ),
                24,
            ),
            (
                "Batteries au lithium",
                "Démonter, tester et remplacer des batteries au lithium sans risque d'incendie.",
                (
                    "Sait reconnaître une batterie au lithium et ses dangers.",
                    "Remplace une batterie simple avec de l'aide.",
                    "Teste et remplace seul une batterie, et range les batteries abîmées au bon endroit.",
                    "Montre la bonne façon de faire et les gestes en cas de problème.",
                ),
                12,
            ),
            (
                "Réparation de téléphone",
                "Changer un écran, une batterie ou un connecteur de charge.",
                (
                    "A vu l'ouverture d'un téléphone.",
                    "Change un écran ou une batterie avec de l'aide.",
                    "Ouvre, répare et referme seul un téléphone courant.",
                    "Apprend la réparation de téléphones à d'autres personnes.",
                ),
                None,
            ),
        ],
    ),
    (
        "Mécanique",
        "Comprendre, démonter et réparer les mécanismes : vélos, petits moteurs, outils.",
        [
            (
                "Mécanique vélo : freins et transmission",
                "Régler et changer freins, câbles, chaîne et dérailleur.",
                (
                    "A regardé le réglage d'un frein ou d'un dérailleur.",
                    "Change un câble ou des patins avec de l'aide.",
                    "Règle seul freins et dérailleurs et change une chaîne.",
                    "Anime un atelier d'autoréparation de vélos.",
                ),
                None,
            ),
            (
                "Démontage et remontage d'un mécanisme",
                "Démonter avec méthode, ranger les pièces, remonter sans oubli.",
                (
                    "A démonté un objet simple avec quelqu'un.",
                    "Démonte et remonte avec de l'aide, en prenant des photos des étapes.",
                    "Démonte et remonte seul un mécanisme, sans pièce en trop.",
                    "Montre la méthode aux autres.",
                ),
                None,
            ),
            (
                "Perceuse à colonne",
                "Percer le bois et le métal à la perceuse à colonne en sécurité.",
                (
                    "Connaît les dangers de la machine et les protections.",
                    "Perce avec de l'aide : serrage de la pièce, vitesse, lunettes.",
                    "Utilise seul la machine, choisit le foret et la vitesse.",
                    "Forme les autres à la perceuse à colonne.",
                ),
                12,
            ),
            (
                "Meuleuse d'angle",
                "Couper et meuler le métal à la meuleuse en sécurité.",
                (
                    "Connaît les dangers et les équipements de protection.",
                    "Coupe avec de l'aide, la pièce bien tenue.",
                    "Utilise seul la meuleuse, change le disque, protège les autres.",
                    "Forme les autres à la meuleuse.",
                ),
                12,
            ),
            (
                "Lecture d'une vue éclatée",
                "Comprendre un schéma de montage ou une vue éclatée pour trouver une pièce.",
                (
                    "A regardé une vue éclatée avec quelqu'un.",
                    "Retrouve une pièce sur le schéma avec de l'aide.",
                    "Utilise seul une vue éclatée pour démonter et commander une pièce.",
                    "Explique aux autres comment lire un schéma.",
                ),
                None,
            ),
        ],
    ),
    (
        "Textile",
        "Réparer, transformer et coudre les vêtements et les tissus.",
        [
            (
                "Couture à la machine",
                "Enfiler, régler et coudre droit à la machine à coudre.",
                (
                    "A enfilé une machine et cousu quelques lignes avec quelqu'un.",
                    "Coud droit et fait un ourlet avec de l'aide pour les réglages.",
                    "Règle seul la machine et coud un vêtement simple.",
                    "Apprend la machine à coudre aux débutants.",
                ),
                None,
            ),
            (
                "Raccommodage à la main",
                "Recoudre un bouton, repriser un trou, faire un point invisible.",
                (
                    "A recousu un bouton avec quelqu'un.",
                    "Reprise un petit trou avec de l'aide.",
                    "Répare seul un vêtement à la main, proprement.",
                    "Montre les différents points aux autres.",
                ),
                None,
            ),
            (
                "Changer une fermeture éclair",
                "Découdre et remplacer une fermeture éclair de pantalon, de veste ou de sac.",
                (
                    "A regardé le remplacement d'une fermeture.",
                    "Change une fermeture de pantalon avec de l'aide.",
                    "Change seul une fermeture, même séparable.",
                    "Apprend cette réparation aux autres.",
                ),
                None,
            ),
            (
                "Retouches de vêtements",
                "Raccourcir, reprendre, ajuster un vêtement à la taille de la personne.",
                (
                    "A vu une prise de mesures et une retouche.",
                    "Fait un ourlet ou reprend une taille avec de l'aide.",
                    "Fait seul les retouches courantes pour un client.",
                    "Forme aux retouches.",
                ),
                None,
            ),
            (
                "Réparation du cuir",
                "Recoudre et réparer sacs, ceintures et chaussures en cuir.",
                (
                    "A vu une couture sellier.",
                    "Fait une couture sellier avec de l'aide.",
                    "Répare seul un sac ou une ceinture.",
                    "Apprend le travail du cuir aux autres.",
                ),
                None,
            ),
        ],
    ),
    (
        "Fabrication numérique",
        "Concevoir et fabriquer des pièces avec les machines du fablab.",
        [
            (
                "Impression 3D",
                "Préparer un fichier, lancer et surveiller une impression, enlever la pièce.",
                (
                    "A vu une impression du début à la fin.",
                    "Lance une impression d'un fichier prêt, avec de l'aide.",
                    "Prépare seul le fichier (trancheur), lance et règle les petits problèmes.",
                    "Forme les autres à l'imprimante 3D.",
                ),
                None,
            ),
            (
                "Modélisation 3D simple",
                "Dessiner une pièce de rechange simple en 3D (CAO) à partir de mesures.",
                (
                    "A vu la création d'une pièce en 3D.",
                    "Dessine une forme simple avec de l'aide.",
                    "Mesure et dessine seul une pièce de rechange qui s'emboîte.",
                    "Apprend la modélisation 3D aux autres.",
                ),
                None,
            ),
            (
                "Découpeuse laser",
                "Découper et graver à la découpeuse laser, en sécurité (fumées, feu, matériaux interdits).",
                (
                    "Connaît les dangers et les matériaux interdits.",
                    "Lance une découpe préparée, avec de l'aide.",
                    "Prépare le fichier, règle la machine et surveille seul la découpe.",
                    "Forme les autres à la découpeuse laser.",
                ),
                12,
            ),
            (
                "Fraiseuse numérique",
                "Fraiser une pièce à la fraiseuse numérique (CNC) en sécurité.",
                (
                    "Connaît les dangers de la machine.",
                    "Lance un usinage préparé avec de l'aide.",
                    "Prépare, fixe la pièce et usine seul.",
                    "Forme les autres à la fraiseuse.",
                ),
                12,
            ),
            (
                "Programmer un microcontrôleur",
                "Écrire et téléverser un petit programme sur une carte Arduino.",
                (
                    "A vu une carte Arduino programmée.",
                    "Modifie un programme existant avec de l'aide.",
                    "Écrit seul un petit programme avec un capteur.",
                    "Anime une initiation à Arduino.",
                ),
                None,
            ),
        ],
    ),
    (
        "Travail du bois",
        "Réparer, restaurer et fabriquer des meubles et objets en bois.",
        [
            (
                "Scie circulaire et scie sur table",
                "Débiter du bois à la scie circulaire en sécurité.",
                (
                    "Connaît les dangers et les protections.",
                    "Fait une coupe droite avec de l'aide.",
                    "Règle la machine et coupe seul en sécurité.",
                    "Forme les autres à la scie.",
                ),
                12,
            ),
            (
                "Ponçage et finition",
                "Poncer, reboucher, vernir, huiler ou peindre un meuble.",
                (
                    "A vu les étapes d'une finition.",
                    "Ponce et applique une finition avec de l'aide.",
                    "Choisit seul la finition et obtient un résultat propre.",
                    "Apprend les finitions aux autres.",
                ),
                None,
            ),
            (
                "Assemblages du bois",
                "Visser, coller, cheviller, faire un tenon et une mortaise.",
                (
                    "A vu plusieurs assemblages.",
                    "Fait un assemblage vissé ou collé avec de l'aide.",
                    "Choisit et fait seul un assemblage solide.",
                    "Apprend les assemblages aux autres.",
                ),
                None,
            ),
            (
                "Restauration de meubles",
                "Remettre en état un meuble ancien : structure, tiroirs, quincaillerie.",
                (
                    "A suivi une restauration.",
                    "Restaure un meuble simple avec de l'aide.",
                    "Restaure seul un meuble du début à la fin.",
                    "Accompagne d'autres personnes dans une restauration.",
                ),
                None,
            ),
            (
                "Outils à main",
                "Utiliser rabot, ciseau à bois, scie à main et serre-joints.",
                (
                    "A utilisé un outil à main avec quelqu'un.",
                    "Utilise les outils avec de l'aide pour l'affûtage et la tenue.",
                    "Utilise et entretient seul ses outils.",
                    "Apprend les outils à main aux autres.",
                ),
                None,
            ),
        ],
    ),
    (
        "Entrepreneuriat",
        "Faire d'une activité de réparation ou de fabrication un métier qui fait vivre.",
        [
            (
                "Calculer un prix de revient",
                "Compter le temps, les pièces et les frais pour fixer un prix juste.",
                (
                    "Sait ce qu'est un prix de revient.",
                    "Calcule un prix avec de l'aide, à partir d'un modèle.",
                    "Calcule seul ses prix et sait dire s'il gagne de l'argent.",
                    "Aide les autres à calculer leurs prix.",
                ),
                None,
            ),
            (
                "Présenter son projet",
                "Expliquer son projet en quelques minutes à un financeur, un client ou un jury.",
                (
                    "A présenté son idée devant un petit groupe.",
                    "Présente son projet avec un support préparé avec de l'aide.",
                    "Présente seul son projet clairement et répond aux questions.",
                    "Aide les autres à préparer leur présentation.",
                ),
                None,
            ),
            (
                "Tenir un budget simple",
                "Suivre ses recettes, ses dépenses et sa trésorerie.",
                (
                    "Sait ce qu'est un budget.",
                    "Remplit un tableau de suivi avec de l'aide.",
                    "Tient seul son budget chaque mois.",
                    "Aide les autres à tenir leur budget.",
                ),
                None,
            ),
            (
                "Créer une micro-entreprise",
                "Connaître les démarches : déclaration, cotisations, factures.",
                (
                    "Connaît les grandes étapes.",
                    "Fait les démarches avec de l'aide.",
                    "Gère seul ses déclarations et ses factures.",
                    "Explique les démarches aux autres.",
                ),
                None,
            ),
            (
                "Vendre en ligne",
                "Photographier, décrire et vendre ses objets sur une boutique ou les réseaux sociaux.",
                (
                    "A vu une annonce bien faite.",
                    "Publie une annonce avec de l'aide.",
                    "Publie, répond aux clients et envoie seul ses ventes.",
                    "Aide les autres à vendre en ligne.",
                ),
                None,
            ),
        ],
    ),
    (
        "Relation client",
        "Accueillir, conseiller et garder la confiance des personnes qui viennent à l'atelier.",
        [
            (
                "Accueillir un client",
                "Accueillir, écouter et noter ce que la personne attend.",
                (
                    "A observé l'accueil de clients.",
                    "Accueille et note la demande avec de l'aide.",
                    "Accueille seul et pose les bonnes questions.",
                    "Forme les autres à l'accueil.",
                ),
                None,
            ),
            (
                "Faire un devis et expliquer une réparation",
                "Dire ce qui ne va pas, ce que coûte la réparation et combien de temps elle prend.",
                (
                    "A assisté à l'explication d'un devis.",
                    "Prépare un devis avec de l'aide.",
                    "Fait seul un devis clair et l'explique simplement.",
                    "Aide les autres à faire leurs devis.",
                ),
                None,
            ),
            (
                "Gérer une réclamation",
                "Écouter un client mécontent, chercher une solution, garder son calme.",
                (
                    "A vu une réclamation se régler.",
                    "Répond à une réclamation avec de l'aide.",
                    "Règle seul une réclamation courante.",
                    "Aide les autres dans les situations difficiles.",
                ),
                None,
            ),
            (
                "Animer un Repair Café",
                "Accueillir le public, répartir les objets, aider les bénévoles.",
                (
                    "A participé à un Repair Café.",
                    "Co-anime une séance avec quelqu'un.",
                    "Anime seul une séance.",
                    "Forme de nouveaux animateurs.",
                ),
                None,
            ),
        ],
    ),
]

COMMON = [
    "Soudure à l'étain",
    "Utilisation du multimètre",
    "Diagnostic d'un petit électroménager",
    "Mécanique vélo : freins et transmission",
    "Démontage et remontage d'un mécanisme",
    "Couture à la machine",
    "Raccommodage à la main",
    "Impression 3D",
    "Ponçage et finition",
    "Accueillir un client",
    "Calculer un prix de revient",
    "Outils à main",
    "Sécurité électrique",
    "Perceuse à colonne",
]


def _seed_catalogue(ctx: DemoContext) -> dict[str, Skill]:
    skills = {}
    for position, (domain_name, domain_text, entries) in enumerate(CATALOGUE, start=1):
        domain = services.create_domain(ctx.admin, name=domain_name, description=domain_text, position=position * 10)
        for name, text, meanings, validity in entries:
            skills[name] = services.create_skill(
                ctx.admin,
                domain=domain,
                name=name,
                description=text,
                discovered_means=meanings[0],
                practised_means=meanings[1],
                autonomous_means=meanings[2],
                can_teach_means=meanings[3],
                is_safety=validity is not None,
                validity_months=validity,
            )
    return skills


def _evidence_photo() -> io.BytesIO:
    """A small drawn "photo" of a soldered board, so that the demo passport shows an evidence picture."""
    image = Image.new("RGB", (640, 480), (34, 110, 70))
    draw = ImageDraw.Draw(image)
    for x in range(60, 600, 60):
        draw.line([(x, 40), (x, 440)], fill=(200, 170, 60), width=6)
    for x in range(90, 600, 120):
        draw.rectangle([x - 25, 180, x + 25, 300], fill=(30, 30, 30))
        draw.ellipse([x - 8, 320, x + 8, 336], fill=(210, 210, 210))
    out = io.BytesIO()
    image.save(out, "PNG")
    out.seek(0)
    return out


def _seed_talent_one(ctx: DemoContext, skills: dict[str, Skill], talent: User, mentor: User, manager: User) -> None:
    """A full passport: history, evidence, an expired safety skill, a withdrawn one and a declaration."""
    today = clock.today()
    services.validate_skill(
        mentor,
        talent,
        skills["Soudure à l'étain"],
        level=1,
        validated_on=today - timedelta(days=150),
        note="Premières soudures sur une carte d'essai.",
    )
    services.validate_skill(
        mentor,
        talent,
        skills["Soudure à l'étain"],
        level=2,
        validated_on=today - timedelta(days=40),
        photo=_evidence_photo(),
        note="Soudures propres sur le kit radio, avec un peu d'aide pour les petits composants.",
    )
    services.validate_skill(
        manager, talent, skills["Utilisation du multimètre"], level=3, validated_on=today - timedelta(days=60)
    )
    services.validate_skill(
        manager,
        talent,
        skills["Perceuse à colonne"],
        level=3,
        validated_on=today - timedelta(days=420),
        note="Formation sécurité suivie.",
    )
    services.validate_skill(
        manager, talent, skills["Sécurité électrique"], level=3, validated_on=today - timedelta(days=90)
    )
    services.validate_skill(
        mentor, talent, skills["Couture à la machine"], level=2, validated_on=today - timedelta(days=20)
    )
    grinder = services.validate_skill(
        manager, talent, skills["Meuleuse d'angle"], level=2, validated_on=today - timedelta(days=30)
    )
    services.withdraw_validation(
        manager, grinder, reason="Validée par erreur : la formation sécurité n'était pas terminée."
    )
    services.declare_skill(talent, skills["Impression 3D"], level=2, note="J'imprime chez un ami depuis un an.")


def _seed_territory(ctx: DemoContext, code: str, skills: dict[str, Skill]) -> None:
    prefix = code.lower()
    mentor = ctx.users[f"mentor.{prefix}@repairlab.demo"]
    manager = ctx.users[f"atelier.{prefix}@repairlab.demo"]
    mentor2 = ctx.users.get(f"mentor2.{prefix}@repairlab.demo", mentor)
    validators = [mentor, manager, mentor2]
    today = clock.today()
    _seed_talent_one(ctx, skills, ctx.users[f"talent1.{prefix}@repairlab.demo"], mentor, manager)
    for n in range(2, 13):
        talent = ctx.users[f"talent{n}.{prefix}@repairlab.demo"]
        picks = ctx.rng.sample(COMMON, ctx.rng.randint(2, 5))
        for i, name in enumerate(picks):
            level = ctx.rng.choice([1, 2, 2, 3, 3]) if n != 7 or i else 4
            services.validate_skill(
                validators[(n + i) % len(validators)],
                talent,
                skills[name],
                level=level,
                validated_on=today - timedelta(days=ctx.rng.randint(3, 200)),
            )
        if n % 3 == 0:
            choices = [s for s in COMMON if s not in picks]
            services.declare_skill(talent, skills[ctx.rng.choice(choices)], level=ctx.rng.choice([1, 2, 3]))


def seed_skills(ctx: DemoContext) -> None:
    """The French skills catalogue, then passports for the demo talents of every territory."""
    skills = _seed_catalogue(ctx)
    for code in ctx.territories:
        _seed_territory(ctx, code, skills)
