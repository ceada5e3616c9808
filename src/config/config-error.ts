// The one error a bad setting raises, naming the setting: its environment variable or its option.
/** A setting has a value keygate cannot run with; the message starts with the setting's name. */
export class ConfigError extends Error {
  constructor(
    /** The environment variable (`PORT`) or, for resolveConfig, the option (`port`) at fault. */
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}
