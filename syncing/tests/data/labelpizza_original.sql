-- The original Label Pizza's tables (sy77777en/label_pizza, label_pizza/models.py), written out as
-- PostgreSQL DDL for the import_labelpizza tests and bench/import_labelpizza.py. Column names, types,
-- nullability, defaults, keys and enums follow its SQLAlchemy models.
CREATE TYPE user_types AS ENUM ('human', 'model', 'admin');
CREATE TYPE tag_sources AS ENUM ('model', 'reviewer');
CREATE TYPE question_type AS ENUM ('single', 'description');
CREATE TYPE project_roles AS ENUM ('annotator', 'reviewer', 'admin', 'model');
CREATE TYPE answer_value_types AS ENUM ('single', 'description');
CREATE TYPE review_status AS ENUM ('pending', 'approved', 'rejected');

CREATE TABLE users (
    id SERIAL PRIMARY KEY,
    user_id_str VARCHAR(128) NOT NULL UNIQUE,
    email VARCHAR(255) UNIQUE,
    password_hash TEXT NOT NULL,
    user_type user_types DEFAULT 'human',
    created_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ,
    is_archived BOOLEAN DEFAULT false
);
CREATE TABLE videos (
    id SERIAL PRIMARY KEY,
    video_uid VARCHAR(255) NOT NULL UNIQUE,
    url TEXT UNIQUE,
    video_metadata JSONB,
    created_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ,
    is_archived BOOLEAN DEFAULT false
);
CREATE TABLE video_tags (
    video_id INTEGER,
    tag VARCHAR(64),
    tag_source tag_sources DEFAULT 'model',
    created_at TIMESTAMPTZ,
    PRIMARY KEY (video_id, tag)
);
CREATE INDEX ix_tag_lookup ON video_tags (tag);
CREATE TABLE question_groups (
    id SERIAL PRIMARY KEY,
    title VARCHAR(255) NOT NULL UNIQUE,
    display_title VARCHAR(255) NOT NULL,
    description TEXT,
    is_reusable BOOLEAN DEFAULT false,
    is_auto_submit BOOLEAN DEFAULT false,
    is_archived BOOLEAN DEFAULT false,
    verification_function VARCHAR(255)
);
CREATE TABLE questions (
    id SERIAL PRIMARY KEY,
    text TEXT UNIQUE,
    display_text TEXT NOT NULL,
    type question_type,
    options JSONB,
    display_values JSONB,
    option_weights JSONB,
    default_option VARCHAR(120),
    is_archived BOOLEAN DEFAULT false,
    created_at TIMESTAMPTZ
);
CREATE TABLE question_group_questions (
    question_group_id INTEGER NOT NULL,
    question_id INTEGER NOT NULL,
    display_order INTEGER NOT NULL,
    PRIMARY KEY (question_group_id, question_id)
);
CREATE TABLE schemas (
    id SERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    instructions_url TEXT,
    created_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ,
    has_custom_display BOOLEAN DEFAULT false,
    is_archived BOOLEAN DEFAULT false
);
CREATE TABLE schema_question_groups (
    schema_id INTEGER NOT NULL,
    question_group_id INTEGER NOT NULL,
    display_order INTEGER NOT NULL,
    PRIMARY KEY (schema_id, question_group_id)
);
CREATE TABLE projects (
    id SERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    schema_id INTEGER NOT NULL,
    description TEXT,
    created_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ,
    is_archived BOOLEAN DEFAULT false
);
CREATE TABLE project_videos (
    project_id INTEGER,
    video_id INTEGER,
    added_at TIMESTAMPTZ,
    PRIMARY KEY (project_id, video_id)
);
CREATE TABLE project_user_roles (
    project_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    role project_roles NOT NULL,
    user_weight DOUBLE PRECISION DEFAULT 1.0,
    assigned_at TIMESTAMPTZ,
    completed_at TIMESTAMPTZ,
    is_archived BOOLEAN DEFAULT false,
    PRIMARY KEY (project_id, user_id, role)
);
CREATE INDEX ix_user_projects ON project_user_roles (user_id);
CREATE TABLE project_groups (
    id SERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT,
    created_at TIMESTAMPTZ,
    is_archived BOOLEAN DEFAULT false
);
CREATE TABLE project_group_projects (
    project_group_id INTEGER,
    project_id INTEGER,
    PRIMARY KEY (project_group_id, project_id)
);
CREATE TABLE project_video_question_displays (
    project_id INTEGER,
    video_id INTEGER,
    question_id INTEGER,
    custom_display_text TEXT,
    custom_option_display_map JSONB,
    created_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ,
    PRIMARY KEY (project_id, video_id, question_id)
);
CREATE TABLE annotator_answers (
    id SERIAL PRIMARY KEY,
    video_id INTEGER NOT NULL,
    question_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    project_id INTEGER NOT NULL,
    answer_type answer_value_types NOT NULL DEFAULT 'single',
    answer_value TEXT NOT NULL,
    confidence_score DOUBLE PRECISION,
    created_at TIMESTAMPTZ,
    modified_at TIMESTAMPTZ,
    notes TEXT,
    CONSTRAINT uq_annotator_answer_scope UNIQUE (video_id, question_id, user_id, project_id)
);
CREATE TABLE reviewer_ground_truth (
    video_id INTEGER,
    question_id INTEGER,
    project_id INTEGER,
    reviewer_id INTEGER NOT NULL,
    answer_type answer_value_types NOT NULL DEFAULT 'single',
    answer_value TEXT NOT NULL,
    original_answer_value TEXT NOT NULL,
    modified_at TIMESTAMPTZ,
    modified_by_admin_id INTEGER,
    modified_by_admin_at TIMESTAMPTZ,
    confidence_score DOUBLE PRECISION,
    created_at TIMESTAMPTZ NOT NULL,
    notes TEXT,
    PRIMARY KEY (video_id, question_id, project_id)
);
CREATE TABLE answer_reviews (
    id SERIAL PRIMARY KEY,
    answer_id INTEGER NOT NULL UNIQUE,
    reviewer_id INTEGER NOT NULL,
    status review_status DEFAULT 'pending',
    comment TEXT,
    reviewed_at TIMESTAMPTZ
);
