-- 0002: the interviewer's verdict, kept with the interview, and the link
-- from a question to the template question it was copied from.

-- The verdict (interview.Verdict): overall rating 0 (none) to 5, hiring
-- recommendation ('' = undecided), and a summary. Existing interviews get
-- "no verdict yet".
ALTER TABLE interviews ADD COLUMN overall_rating INTEGER NOT NULL DEFAULT 0
	CHECK (overall_rating BETWEEN 0 AND 5);
ALTER TABLE interviews ADD COLUMN recommendation TEXT NOT NULL DEFAULT ''
	CHECK (recommendation IN ('', 'strong-no', 'no', 'yes', 'strong-yes'));
ALTER TABLE interviews ADD COLUMN verdict_summary TEXT NOT NULL DEFAULT '';

-- SET NULL: removing a question from a template must not delete what was
-- asked from it; the review then falls back to matching by text.
-- Questions copied before this migration have no link (NULL) and are
-- matched by text, as before.
ALTER TABLE questions ADD COLUMN template_question_id INTEGER
	REFERENCES template_questions(id) ON DELETE SET NULL;
-- Deleting a template question looks up the questions linked to it.
CREATE INDEX questions_by_template_question ON questions(template_question_id);
