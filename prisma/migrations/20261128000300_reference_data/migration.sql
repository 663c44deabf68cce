-- Reference data the application cannot run without. Demo data lives in the seed, not here.

INSERT INTO "product_category" (code, name_ja, name_en, resellable) VALUES
  ('ECIG_CARTRIDGE', '加熱式たばこカートリッジ', 'E-cigarette cartridges', true),
  ('TOBACCO', 'たばこ', 'Cigarettes', true),
  ('GIFT_CARD', 'ギフトカード・プリペイドカード', 'Gift and prepaid cards', true),
  ('ELECTRONICS', '家電・電子機器', 'Electronics', true),
  ('ALCOHOL', '酒類', 'Alcohol', false),
  ('FOOD', '食品', 'Food', false),
  ('DRINK', '飲料', 'Drinks', false),
  ('DAILY_GOODS', '日用品', 'Daily goods', false),
  ('MAGAZINE', '雑誌・書籍', 'Magazines and books', false);

-- Ledger accounts on the company's side. Customer wallets are created with their customer.
INSERT INTO "ledger_account" (id, code, kind) VALUES
  (gen_random_uuid(), 'clearing:CREDIT_CARD', 'FUNDING_CLEARING'),
  (gen_random_uuid(), 'clearing:BANK', 'FUNDING_CLEARING'),
  (gen_random_uuid(), 'clearing:CONVENIENCE_CASH', 'FUNDING_CLEARING'),
  (gen_random_uuid(), 'refund:CREDIT_CARD', 'REFUND_PAYABLE'),
  (gen_random_uuid(), 'refund:BANK', 'REFUND_PAYABLE'),
  (gen_random_uuid(), 'refund:CONVENIENCE_CASH', 'REFUND_PAYABLE');

INSERT INTO "kill_switch" (key, label, description) VALUES
  ('topup.all', 'All top-ups', 'Stops every top-up, whatever the funding channel.'),
  ('topup.credit_card', 'Credit-card top-ups', 'Stops top-ups charged to a linked credit card.'),
  ('topup.bank', 'Bank top-ups', 'Stops top-ups debited from a linked bank account.'),
  ('topup.convenience_cash', 'Convenience-store cash top-ups', 'Stops cash top-ups at store registers.'),
  ('signin.new_device', 'Sign-in from a new device', 'Refuses customer sign-in from a device not seen on the account before.'),
  ('reset.self_service', 'Self-service password reset', 'Stops customers requesting their own password reset links.');
