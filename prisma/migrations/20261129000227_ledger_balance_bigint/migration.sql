-- ledger_account.balance was an INTEGER (±¥2,147,483,647). A wallet never comes near that, but the company-side
-- accounts collect everyone's money: clearing:CREDIT_CARD passes ¥2.1 billion in a replay of about 417,000 customers,
-- and a real wallet business passes it in days. Entries stay INTEGER (one movement is far below the limit); only the
-- running sum widens. The balance trigger (balance + NEW.amount) and the non-negative wallet check work unchanged.
ALTER TABLE "ledger_account" ALTER COLUMN "balance" SET DATA TYPE BIGINT;
