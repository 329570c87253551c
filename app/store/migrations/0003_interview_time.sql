-- 0003: interview time that survives resumes and ends of every kind.

-- ran_ms is how long the interview ran in interview time (pauses not
-- counted): written when it ends, pauses or is interrupted, so a resume
-- continues its clock from there and the library shows its real length
-- instead of the wall-clock span between start and end (which counts
-- pauses and, for an interview ended from the library, the time until
-- the click).
ALTER TABLE interviews ADD COLUMN ran_ms INTEGER NOT NULL DEFAULT 0 CHECK (ran_ms >= 0);
-- state_reason says why an interview is in its state when that is not
-- the user's doing, e.g. "disk full" for one ended as interrupted.
ALTER TABLE interviews ADD COLUMN state_reason TEXT NOT NULL DEFAULT '';

-- offset_ms places a recording on the interview's timeline: a resumed
-- interview records a new part per source, starting where the clock
-- resumed. Recordings made before this migration start at 0, as they did.
ALTER TABLE recordings ADD COLUMN offset_ms INTEGER NOT NULL DEFAULT 0 CHECK (offset_ms >= 0);
