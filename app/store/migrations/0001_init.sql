-- 0001: the first schema. Times are integers: wall-clock times in Unix
-- milliseconds (UTC), interview times in milliseconds from the start.
-- Text columns are NOT NULL with '' defaults so Go never meets a NULL string.

-- 'SidN': marks the file as Sidenote's so a foreign SQLite file is refused.
PRAGMA application_id = 1399415886;

CREATE TABLE templates (
	id          INTEGER PRIMARY KEY AUTOINCREMENT, -- IDs the user types are never reused
	name        TEXT    NOT NULL,
	description TEXT    NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
);

CREATE TABLE template_questions (
	id          INTEGER PRIMARY KEY,
	template_id INTEGER NOT NULL REFERENCES templates(id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	text        TEXT    NOT NULL,
	competency  TEXT    NOT NULL DEFAULT '',
	guidance    TEXT    NOT NULL DEFAULT '',
	expected_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX template_questions_by_template ON template_questions(template_id, position);

CREATE TABLE interviews (
	id                INTEGER PRIMARY KEY AUTOINCREMENT, -- IDs the user types are never reused
	title             TEXT    NOT NULL DEFAULT '',
	role              TEXT    NOT NULL DEFAULT '',
	other_name        TEXT    NOT NULL DEFAULT '',
	mode              TEXT    NOT NULL CHECK (mode IN ('interviewer', 'candidate', 'practice')),
	scheduled_at      INTEGER,
	length_ms         INTEGER NOT NULL DEFAULT 0,
	platform          TEXT    NOT NULL DEFAULT '',
	link              TEXT    NOT NULL DEFAULT '',
	backup_phone      TEXT    NOT NULL DEFAULT '',
	documents         TEXT    NOT NULL DEFAULT '',
	language          TEXT    NOT NULL DEFAULT '',
	-- SET NULL: deleting a template must not delete the interviews run from it.
	template_id       INTEGER REFERENCES templates(id) ON DELETE SET NULL,
	state             TEXT    NOT NULL CHECK (state IN ('planned', 'live', 'paused', 'interrupted', 'ended')),
	started_at        INTEGER,
	ended_at          INTEGER,
	recording_consent INTEGER NOT NULL DEFAULT 0,
	created_at        INTEGER NOT NULL,
	updated_at        INTEGER NOT NULL,
	-- "when": the time the library files an interview under (see interview.When).
	filed_at          INTEGER GENERATED ALWAYS AS (coalesce(started_at, scheduled_at, created_at)) VIRTUAL
);
CREATE INDEX interviews_by_filed_at ON interviews(filed_at);
CREATE INDEX interviews_by_state ON interviews(state);
CREATE INDEX interviews_by_template ON interviews(template_id);

CREATE TABLE questions (
	id           INTEGER PRIMARY KEY,
	interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
	position     INTEGER NOT NULL,
	priority     INTEGER NOT NULL DEFAULT 0 CHECK (priority BETWEEN -1 AND 1),
	text         TEXT    NOT NULL,
	competency   TEXT    NOT NULL DEFAULT '',
	guidance     TEXT    NOT NULL DEFAULT '',
	status       TEXT    NOT NULL CHECK (status IN ('queued', 'asked', 'skipped')),
	asked_at_ms  INTEGER,
	rating       INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),
	note         TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX questions_by_interview ON questions(interview_id, position);

CREATE TABLE notes (
	id           INTEGER PRIMARY KEY,
	interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
	at_ms        INTEGER NOT NULL,
	wall_at      INTEGER NOT NULL,
	text         TEXT    NOT NULL,
	-- Tags are normalised (no spaces), stored space-separated.
	tags         TEXT    NOT NULL DEFAULT '',
	question_id  INTEGER REFERENCES questions(id) ON DELETE SET NULL,
	edited_at    INTEGER
);
CREATE INDEX notes_by_interview ON notes(interview_id, at_ms);
CREATE INDEX notes_by_question ON notes(question_id);

CREATE TABLE talking_points (
	id           INTEGER PRIMARY KEY,
	interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
	position     INTEGER NOT NULL,
	text         TEXT    NOT NULL,
	kind         TEXT    NOT NULL CHECK (kind IN ('point', 'question-to-ask')),
	checked      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX talking_points_by_interview ON talking_points(interview_id, position);

CREATE TABLE segments (
	id           INTEGER PRIMARY KEY,
	interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
	source       TEXT    NOT NULL CHECK (source IN ('you', 'them', 'file')),
	start_ms     INTEGER NOT NULL,
	end_ms       INTEGER NOT NULL,
	text         TEXT    NOT NULL,
	confidence   REAL    NOT NULL DEFAULT 0,
	edited_text  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX segments_by_interview ON segments(interview_id, start_ms);

CREATE TABLE recordings (
	id           INTEGER PRIMARY KEY,
	interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
	source       TEXT    NOT NULL CHECK (source IN ('you', 'them', 'file')),
	path         TEXT    NOT NULL,
	sample_rate  INTEGER NOT NULL,
	duration_ms  INTEGER NOT NULL DEFAULT 0,
	created_at   INTEGER NOT NULL
);
CREATE INDEX recordings_by_interview ON recordings(interview_id);
CREATE INDEX recordings_by_path ON recordings(path);

-- Settings that belong to the data (retention), not UI preferences.
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

-- One full-text index over notes, transcript and questions, so one query
-- ranks all three together. rowid = source row id * 4 + kind (1 note,
-- 2 segment, 3 question): unique across kinds, and a trigger finds its
-- entry by rowid without scanning. remove_diacritics 0 keeps å, ä and ö
-- distinct from a and o: in Swedish they are separate letters ("år" is a
-- year, "ar" is an area unit), so folding them would return wrong hits.
-- Case is still folded, for every script.
CREATE VIRTUAL TABLE search_index USING fts5(
	body,
	interview_id UNINDEXED,
	at_ms UNINDEXED,
	tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TRIGGER notes_search_insert AFTER INSERT ON notes BEGIN
	INSERT INTO search_index(rowid, body, interview_id, at_ms)
	VALUES (new.id * 4 + 1, new.text, new.interview_id, new.at_ms);
END;
CREATE TRIGGER notes_search_update AFTER UPDATE OF text, at_ms, interview_id ON notes BEGIN
	DELETE FROM search_index WHERE rowid = old.id * 4 + 1;
	INSERT INTO search_index(rowid, body, interview_id, at_ms)
	VALUES (new.id * 4 + 1, new.text, new.interview_id, new.at_ms);
END;
CREATE TRIGGER notes_search_delete AFTER DELETE ON notes BEGIN
	DELETE FROM search_index WHERE rowid = old.id * 4 + 1;
END;

-- A corrected segment is searched by its correction: that is what the
-- user sees and what they believe was said.
CREATE TRIGGER segments_search_insert AFTER INSERT ON segments BEGIN
	INSERT INTO search_index(rowid, body, interview_id, at_ms)
	VALUES (new.id * 4 + 2, CASE WHEN new.edited_text <> '' THEN new.edited_text ELSE new.text END,
		new.interview_id, new.start_ms);
END;
CREATE TRIGGER segments_search_update AFTER UPDATE OF text, edited_text, start_ms, interview_id ON segments BEGIN
	DELETE FROM search_index WHERE rowid = old.id * 4 + 2;
	INSERT INTO search_index(rowid, body, interview_id, at_ms)
	VALUES (new.id * 4 + 2, CASE WHEN new.edited_text <> '' THEN new.edited_text ELSE new.text END,
		new.interview_id, new.start_ms);
END;
CREATE TRIGGER segments_search_delete AFTER DELETE ON segments BEGIN
	DELETE FROM search_index WHERE rowid = old.id * 4 + 2;
END;

-- A question is found by its text and by the interviewer's note on it.
CREATE TRIGGER questions_search_insert AFTER INSERT ON questions BEGIN
	INSERT INTO search_index(rowid, body, interview_id, at_ms)
	VALUES (new.id * 4 + 3, new.text || CASE WHEN new.note <> '' THEN char(10) || new.note ELSE '' END,
		new.interview_id, new.asked_at_ms);
END;
CREATE TRIGGER questions_search_update AFTER UPDATE OF text, note, asked_at_ms, interview_id ON questions BEGIN
	DELETE FROM search_index WHERE rowid = old.id * 4 + 3;
	INSERT INTO search_index(rowid, body, interview_id, at_ms)
	VALUES (new.id * 4 + 3, new.text || CASE WHEN new.note <> '' THEN char(10) || new.note ELSE '' END,
		new.interview_id, new.asked_at_ms);
END;
CREATE TRIGGER questions_search_delete AFTER DELETE ON questions BEGIN
	DELETE FROM search_index WHERE rowid = old.id * 4 + 3;
END;
