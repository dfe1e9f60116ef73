"""A small data set shaped like the one the original's override guide builds (three videos, a person, a model and
a second admin, four question groups one of which has custom displays, three projects, reviews and an admin
override), built through `label_pizza.sync_utils` with the original's keyword arguments. Our own names."""

from catalog.tests.factories import AdminFactory

PEOPLE_COUNT = "How many people?"
PEOPLE_TEXT = "Describe the people."
PLANT_COUNT = "How many plants?"
PLANT_TEXT = "Describe the plants."
UNSAFE = "Is it unsafe?"
PICK = "Pick one"
ASPECT = "Describe one thing"


def _single(text, options, default):
    return {
        "qtype": "single",
        "text": text,
        "display_text": text,
        "options": options,
        "display_values": options,
        "option_weights": [1.0] * len(options),
        "default_option": default,
    }


def _describe(text):
    return {"qtype": "description", "text": text, "display_text": text}


def _group(title, questions, *, reusable=False, auto=False):
    return {
        "title": title,
        "display_title": title,
        "description": f"Questions about {title.lower()}.",
        "is_reusable": reusable,
        "is_auto_submit": auto,
        "verification_function": "",
        "questions": questions,
    }


def _answers(group, project, user, video, values: dict, truth=False, **extra):
    return {
        "question_group_title": group,
        "project_name": project,
        "user_name": user,
        "video_uid": video,
        "answers": values,
        "is_ground_truth": truth,
        **extra,
    }


def build_override_guide_data():
    from label_pizza.sync_utils import (
        sync_annotations,
        sync_ground_truths,
        sync_project_groups,
        sync_projects,
        sync_question_groups,
        sync_schemas,
        sync_users,
        sync_users_to_projects,
        sync_videos,
    )

    AdminFactory(user_id="Admin 1", email="admin1@example.com")
    sync_videos(
        videos_data=[
            {"video_uid": uid, "url": f"https://cdn.example.org/{uid}", "is_active": True, "metadata": {}}
            for uid in ("lobby.mp4", "garden.mp4", "lobby2.mp4")
        ]
    )
    sync_users(
        users_data=[
            {
                "user_id": "Annotator 1",
                "email": "annotator1@example.com",
                "password": "annotator111",
                "user_type": "human",
                "is_active": True,
            },
            {"user_id": "Robot 1", "password": "", "email": None, "user_type": "model", "is_active": True},
            {
                "user_id": "Admin 2",
                "email": "admin2@example.com",
                "password": "admin222",
                "user_type": "human",
                "is_active": True,
            },
        ]
    )
    sync_question_groups(
        question_groups_data=[
            _group("People", [_single(PEOPLE_COUNT, ["0", "1", "2", "3+"], "0"), _describe(PEOPLE_TEXT)]),
            _group("Plants", [_single(PLANT_COUNT, ["0", "1", "2", "3+"], "0"), _describe(PLANT_TEXT)]),
            _group("Safety", [_single(UNSAFE, ["No", "Yes"], "No")], reusable=True, auto=True),
            _group("Plants Custom", [_single(PICK, ["Option A", "Option B"], "Option A"), _describe(ASPECT)]),
        ]
    )
    plain = {"instructions_url": "", "has_custom_display": False, "is_active": True}
    sync_schemas(
        schemas_data=[
            {**plain, "schema_name": "People schema", "question_group_names": ["People", "Safety"]},
            {**plain, "schema_name": "Plants schema", "question_group_names": ["Plants", "Safety"]},
            {
                "schema_name": "Plants Custom schema",
                "instructions_url": "",
                "question_group_names": ["Plants Custom"],
                "has_custom_display": True,
                "is_active": True,
            },
        ]
    )

    def custom(uid, question, options):
        return {
            "video_uid": uid,
            "questions": [
                {"question_text": PICK, "custom_question": question, "custom_option": options},
                {"question_text": ASPECT, "custom_question": f"{question} Say why."},
            ],
        }

    plain_project = {"description": "", "is_active": True, "videos": ["lobby.mp4", "garden.mp4"]}
    sync_projects(
        projects_data=[
            {"project_name": "People 0", "schema_name": "People schema", **plain_project},
            {"project_name": "Plants 0", "schema_name": "Plants schema", **plain_project},
            {
                "project_name": "Plants Custom 0",
                "schema_name": "Plants Custom schema",
                "description": "Per-video wording",
                "is_active": True,
                "videos": [
                    custom("lobby.mp4", "Is there a plant?", {"Option A": "No", "Option B": "Yes"}),
                    custom("garden.mp4", "Which plant?", {"Option A": "Tree", "Option B": "Flower"}),
                ],
            },
        ]
    )
    role = {"user_weight": 1.0, "is_active": True}
    sync_users_to_projects(
        assignments_data=[
            {**role, "user_name": "Annotator 1", "project_name": "Plants 0", "role": "annotator"},
            {**role, "user_name": "Annotator 1", "project_name": "People 0", "role": "annotator"},
            {**role, "user_name": "Robot 1", "project_name": "People 0", "role": "model"},
            {**role, "user_name": "Annotator 1", "project_name": "Plants Custom 0", "role": "annotator"},
            {**role, "user_name": "Admin 2", "project_name": "People 0", "role": "reviewer", "user_weight": 2.0},
        ]
    )
    sync_project_groups(
        project_groups_data=[
            {"project_group_name": "People Projects", "description": "", "projects": ["People 0"]},
            {"project_group_name": "Plants Projects", "description": "", "projects": ["Plants 0"]},
            {"project_group_name": "Plants Custom Projects", "description": "", "projects": ["Plants Custom 0"]},
        ]
    )
    people = {PEOPLE_COUNT: "1", PEOPLE_TEXT: "One man with a beard."}
    plants = {PLANT_COUNT: "1", PLANT_TEXT: "A tall tree."}
    sync_annotations(
        annotations_data=[
            _answers("People", "People 0", "Annotator 1", "lobby.mp4", people),
            _answers(
                "People",
                "People 0",
                "Robot 1",
                "lobby.mp4",
                {PEOPLE_COUNT: "2", PEOPLE_TEXT: "Two people."},
                confidence_scores={PEOPLE_COUNT: 0.3, PEOPLE_TEXT: 0.2},
            ),
            _answers("Plants", "Plants 0", "Annotator 1", "garden.mp4", plants),
            _answers("Safety", "People 0", "Annotator 1", "lobby.mp4", {UNSAFE: "No"}),
            _answers("Plants Custom", "Plants Custom 0", "Annotator 1", "lobby.mp4", {PICK: "Option A", ASPECT: ""}),
        ]
    )
    sync_ground_truths(
        ground_truths_data=[
            _answers("People", "People 0", "Admin 2", "lobby.mp4", people, truth=True),
            _answers("Plants", "Plants 0", "Admin 1", "garden.mp4", plants, truth=True),
        ]
    )


def add_override_and_reviews():
    """What the guide's step 10 did with raw SQL, done the way this project offers: an admin override of the
    People ground truth, and reviews of description answers, through the sync helpers."""
    from label_pizza.sync_utils import sync_annotations, sync_ground_truths

    sync_ground_truths(
        ground_truths_data=[
            _answers(
                "People",
                "People 0",
                "Admin 2",
                "lobby.mp4",
                {PEOPLE_COUNT: "2", PEOPLE_TEXT: "One man with a beard."},
                truth=True,
                admin_overrides={PEOPLE_COUNT: {"admin_name": "Admin 1", "reviewer_answer": "1"}},
            )
        ]
    )
    sync_annotations(
        annotations_data=[
            _answers(
                "People",
                "People 0",
                "Annotator 1",
                "lobby.mp4",
                {PEOPLE_COUNT: "1", PEOPLE_TEXT: "One man with a beard."},
                reviews={PEOPLE_TEXT: {"status": "approved", "reviewer_name": "Admin 1"}},
            ),
            _answers(
                "Plants",
                "Plants 0",
                "Annotator 1",
                "garden.mp4",
                {PLANT_COUNT: "1", PLANT_TEXT: "A tall tree."},
                reviews={PLANT_TEXT: {"status": "rejected", "reviewer_name": "Admin 1"}},
            ),
        ]
    )
