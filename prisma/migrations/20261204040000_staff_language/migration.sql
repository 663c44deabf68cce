-- Each staff member's console language. Japanese for everyone until they choose English: the staff are a Japanese
-- wallet's teams.
ALTER TABLE "staff_user" ADD COLUMN "language" TEXT NOT NULL DEFAULT 'ja';
ALTER TABLE "staff_user" ADD CONSTRAINT "staff_user_language_check" CHECK ("language" IN ('ja', 'en'));
