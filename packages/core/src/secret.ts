const hidden = '[secret]';
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * A password held in memory. It prints as `[secret]` everywhere (string
 * conversion, JSON, `util.inspect`), so a secret that slips into a log
 * record, an error or an event shows nothing. Only {@link Secret.reveal}
 * returns the text, and only code that writes it to a host or a vault calls
 * it.
 *
 * @category model
 */
export class Secret {
  readonly #value: string;

  private constructor(value: string) {
    this.#value = value;
  }

  /** Wraps a password. */
  static of(value: string): Secret {
    return new Secret(value);
  }

  /** The password itself. Call it only where the password is sent. */
  reveal(): string {
    return this.#value;
  }

  /** Compares two secrets in constant time for equal lengths. */
  equals(other: Secret): boolean {
    const a = Buffer.from(this.#value);
    const b = Buffer.from(other.#value);
    if (a.length !== b.length) {
      return false;
    }
    let diff = 0;
    for (let i = 0; i < a.length; i++) {
      diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
    }

    return diff === 0;
  }

  /** Always `[secret]`. */
  toString(): string {
    return hidden;
  }

  /** Always `[secret]`. */
  toJSON(): string {
    return hidden;
  }

  /** Always `[secret]`, for `util.inspect`, which Node uses to print objects. */
  [inspectSymbol](): string {
    return hidden;
  }
}
