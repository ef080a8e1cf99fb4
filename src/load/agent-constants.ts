/**
 * Constants shared by the load agent (bundled into the loadgen image) and its starter. Kept apart
 * from run-agent.ts so the agent's bundle does not pull in the Docker client.
 */

/**
 * Set in the agent's environment: the agent exits as soon as its stdin closes, i.e. when the
 * process that started it is gone. Without it (the agent run by hand) stdin is ignored.
 */
export const AGENT_STDIN_WATCH_ENV = 'SB_AGENT_EXIT_ON_STDIN_EOF';

/** The agent's exit code when it stopped because its starter went away (EX_TEMPFAIL). */
export const AGENT_EXIT_ORPHANED = 75;
