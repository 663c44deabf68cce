// English strings for the reversals pages (the reference: keys are typed from this file).
export default {
  status: {
    COMPLETED: "completed",
    SUCCEEDED: "succeeded",
    PENDING_APPROVAL: "pending approval",
    QUEUED: "queued",
    RUNNING: "running",
    REJECTED: "rejected",
    FAILED: "failed",
    WITHDRAWN: "withdrawn",
    CANCELLED: "cancelled",
    SKIPPED: "skipped",
    PENDING: "pending",
  },
};
