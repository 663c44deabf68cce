// Runs in every test worker before the test file. Keeps the embedded mode in memory so files never share a data dir.
if (process.env.FIREBREAK_TEST_DB !== "postgresql") {
  process.env.FIREBREAK_DATA_DIR = "memory://";
  delete process.env.DATABASE_URL;
}
process.env.NODE_ENV = "test";
