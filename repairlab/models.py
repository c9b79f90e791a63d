"""Imports every domain's models, so that Alembic and create_all see the whole schema."""

from repairlab.api.models import ApiRateCounter, ApiToken  # noqa: F401
from repairlab.audit.models import AuditEntry  # noqa: F401
from repairlab.freshness import DataVersion  # noqa: F401
from repairlab.guides.models import (  # noqa: F401
    Guide,
    GuideCredit,
    GuidePart,
    GuidePublication,
    GuideSessionPlan,
    GuideSkill,
    GuideStep,
    GuideStepPhoto,
    GuideToolCategory,
    GuideUse,
    GuideVersion,
)
from repairlab.inventory.models import (  # noqa: F401
    Category,
    Code,
    CodeCounter,
    Item,
    ItemPhoto,
    Location,
    ProblemReport,
    SkillRequirement,
)
from repairlab.lending.maintenance.models import MaintenancePlan, MaintenanceRecord  # noqa: F401
from repairlab.lending.models import LendingPolicy, Loan, MemberCard, Reminder  # noqa: F401
from repairlab.lending.reservations.models import Reservation, ReservationDay  # noqa: F401
from repairlab.people.models import Cohort, Lab, LoginThrottle, Territory, User  # noqa: F401
from repairlab.programme.models import (  # noqa: F401
    ActivitySession,
    CohortPeriod,
    ExitFollowUp,
    PathEvent,
    PeriodTerritoryTarget,
    ProgrammePeriod,
    SessionAttendance,
    TalentExit,
    TalentIntake,
)
from repairlab.programme.questionnaires.models import (  # noqa: F401
    MentorObservation,
    ObservationRating,
    Questionnaire,
    QuestionnaireAnswer,
    QuestionnaireItem,
    QuestionnaireMoment,
    QuestionnaireOption,
    QuestionnaireResponse,
    QuestionnaireScale,
    QuestionnaireVersion,
)
from repairlab.projects.models import (  # noqa: F401
    ActionItem,
    FigureEntry,
    MentorSession,
    Milestone,
    Project,
    ProjectMember,
    ProjectStage,
    StageChange,
)
from repairlab.projects.prototypes.models import (  # noqa: F401
    Prototype,
    PrototypeItem,
    PrototypePhoto,
    PrototypeSkill,
    PrototypeVersion,
)
from repairlab.repairs.models import (  # noqa: F401
    CategorySkill,
    ImpactConstant,
    RepairCategory,
    RepairEvent,
    RepairEventStaff,
    RepairPartUse,
    RepairStatusChange,
    RepairTicket,
    RepairToolUse,
    RepairWork,
)
from repairlab.reporting.models import ResearchExport  # noqa: F401
from repairlab.skills.models import Skill, SkillDomain, SkillValidation  # noqa: F401
from repairlab.stocktake.models import StockTake, StockTakeScan  # noqa: F401
