"""The tracked-subjects table: who follows each subject, so one provider call serves every traveller on it."""

from faust_app import app

tracked_subjects = app.Table(
    "tracked-subjects",
    key_type=str,
    help=(
        "subject -> {subject, partition, joined_at, members} (domain/tracking/tracked_subjects.py);"
        " ~checkpoint/<partition> -> {watermark}; written by index_tracked_subjects"
    ),
)
