import { AuthSecretError, secretAuthToken } from '../../src/services/auth/secret-setting';
import { redactSecrets } from '../../src/services/observability/redaction';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:forwarder/token-AbCdEf';

/** A stand-in for Secrets Manager: answers each read with the next value (the last one repeats). */
const secretStore = (...values: Array<string | Error>) => {
  const reads: string[] = [];
  let release: () => void = () => {};
  let gate: Promise<void> | undefined;
  return {
    reads,
    /** Holds every read until {@link open} is called. */
    hold: () => {
      gate = new Promise((resolve) => {
        release = resolve;
      });
    },
    open: () => release(),
    readSecret: async (secretId: string): Promise<unknown> => {
      reads.push(secretId);
      const value = values[Math.min(reads.length, values.length) - 1];
      await gate;
      if (value instanceof Error) throw value;
      return value;
    },
  };
};

describe('secretAuthToken', () => {
  it('loads the token from the secret once, and keeps it', async () => {
    const store = secretStore('Bearer one');
    const auth = secretAuthToken({ secretId: SECRET, readSecret: store.readSecret });

    expect(auth.isLoaded()).toBe(false);
    await auth.load(60_000);

    expect(auth.isLoaded()).toBe(true);
    expect(auth.current()).toBe('Bearer one');
    expect(auth.current()).toBe('Bearer one');
    expect(store.reads).toEqual([SECRET]);
  });

  it('registers every token it reads, so logs never show one', async () => {
    const store = secretStore('Bearer first-9q8w', 'Bearer second-7e6r');
    const auth = secretAuthToken({ secretId: SECRET, readSecret: store.readSecret });

    await auth.load(60_000);
    await auth.renew('Bearer first-9q8w');

    expect(redactSecrets('message', 'sent Bearer first-9q8w then Bearer second-7e6r')).toBe(
      'sent [REDACTED] then [REDACTED]',
    );
  });

  it('fails to load with a message naming the secret and the cause', async () => {
    const missing = Object.assign(new Error("Secrets Manager can't find the specified secret."), {
      name: 'ResourceNotFoundException',
    });
    const auth = secretAuthToken({ secretId: SECRET, readSecret: secretStore(missing).readSecret });

    const loading = auth.load(60_000);

    await expect(loading).rejects.toThrow(AuthSecretError);
    await expect(loading).rejects.toThrow(
      `Cannot use the auth token in secret "${SECRET}" (FORWARD_AUTH_SECRET_ARN): reading it failed: ` +
        "ResourceNotFoundException: Secrets Manager can't find the specified secret.",
    );
    expect(auth.isLoaded()).toBe(false);
  });

  it('names the unwrapped cause when the reader wraps the SDK error', async () => {
    const denied = Object.assign(new Error('not authorized to perform secretsmanager:GetSecretValue'), {
      name: 'AccessDeniedException',
    });
    const wrapped = new Error(denied.message, { cause: denied });
    const auth = secretAuthToken({ secretId: SECRET, readSecret: secretStore(wrapped).readSecret });

    await expect(auth.load(60_000)).rejects.toThrow(
      'reading it failed: AccessDeniedException: not authorized',
    );
  });

  it('fails to load when the secret holds no usable token, without quoting it', async () => {
    const auth = secretAuthToken({ secretId: SECRET, readSecret: secretStore('{"pass":"x-1"}').readSecret });

    await expect(auth.load(60_000)).rejects.toThrow(
      `secret "${SECRET}" (FORWARD_AUTH_SECRET_ARN): it is a JSON object`,
    );
  });

  it('loads again after a failed load', async () => {
    const store = secretStore(new Error('throttled'), 'Bearer later');
    const auth = secretAuthToken({ secretId: SECRET, readSecret: store.readSecret });

    await expect(auth.load(60_000)).rejects.toThrow('throttled');
    await auth.load(60_000);

    expect(auth.current()).toBe('Bearer later');
  });

  it('renews a rejected token with the secret’s new value', async () => {
    const store = secretStore('Bearer old', 'Bearer new');
    const auth = secretAuthToken({ secretId: SECRET, readSecret: store.readSecret });
    await auth.load(60_000);

    const renewal = await auth.renew('Bearer old');

    expect(renewal).toEqual({ renewed: true });
    expect(auth.current()).toBe('Bearer new');
    expect(store.reads).toHaveLength(2);
  });

  it('shares one read among concurrent renewals of the same token', async () => {
    const store = secretStore('Bearer old', 'Bearer new');
    const auth = secretAuthToken({ secretId: SECRET, readSecret: store.readSecret });
    await auth.load(60_000);
    store.hold();

    const renewals = Promise.all([
      auth.renew('Bearer old'),
      auth.renew('Bearer old'),
      auth.renew('Bearer old'),
    ]);
    store.open();

    expect(await renewals).toEqual([{ renewed: true }, { renewed: true }, { renewed: true }]);
    expect(store.reads).toHaveLength(2);
  });

  it('does not read again for a token that was already replaced', async () => {
    const store = secretStore('Bearer old', 'Bearer new');
    const auth = secretAuthToken({ secretId: SECRET, readSecret: store.readSecret });
    await auth.load(60_000);
    await auth.renew('Bearer old');

    // A request sent with the old token before the renewal answers 401 afterwards.
    const late = await auth.renew('Bearer old');

    expect(late).toEqual({ renewed: true });
    expect(store.reads).toHaveLength(2);
  });

  it('reports no renewal when the secret still holds the rejected token', async () => {
    const store = secretStore('Bearer same');
    const auth = secretAuthToken({ secretId: SECRET, readSecret: store.readSecret });
    await auth.load(60_000);

    const renewal = await auth.renew('Bearer same');

    expect(renewal).toEqual({ renewed: false, note: 'the secret still holds the rejected token' });
    expect(store.reads).toHaveLength(2);
  });

  it('reads at most once per interval while the receiver keeps rejecting the token', async () => {
    let clock = 1_000_000;
    const store = secretStore('Bearer same');
    const auth = secretAuthToken({
      secretId: SECRET,
      readSecret: store.readSecret,
      minRenewIntervalMs: 10_000,
      now: () => clock,
    });
    await auth.load(60_000);

    const first = await auth.renew('Bearer same');
    clock += 3_000;
    const soon = await auth.renew('Bearer same');
    clock += 7_000;
    const later = await auth.renew('Bearer same');

    expect(first).toMatchObject({ renewed: false, note: 'the secret still holds the rejected token' });
    expect(soon).toMatchObject({ renewed: false, note: expect.stringContaining('moments ago') });
    expect(later).toMatchObject({ renewed: false, note: 'the secret still holds the rejected token' });
    expect(store.reads).toHaveLength(3);
  });

  it('keeps the current token and says why when the renewal read fails', async () => {
    const store = secretStore('Bearer old', new Error('connect ETIMEDOUT'));
    const auth = secretAuthToken({ secretId: SECRET, readSecret: store.readSecret });
    await auth.load(60_000);

    const renewal = await auth.renew('Bearer old');

    expect(renewal).toMatchObject({ renewed: false, note: expect.stringContaining('connect ETIMEDOUT') });
    expect(auth.current()).toBe('Bearer old');
  });
});

describe('secretAuthToken within the time left', () => {
  it('fails the load with AuthSecretError when the read outlasts the limit, and keeps a late answer', async () => {
    // Arrange
    const store = secretStore('Bearer late');
    store.hold();
    const auth = secretAuthToken({ secretId: SECRET, readSecret: store.readSecret });

    // Act
    const loading = auth.load(50);

    // Assert
    await expect(loading).rejects.toThrow(
      new AuthSecretError(
        SECRET,
        "reading it did not finish in the 50 ms left before the invocation's deadline",
      ),
    );
    expect(auth.isLoaded()).toBe(false);
    store.open();
    await auth.load(1000);
    expect(auth.current()).toBe('Bearer late');
    expect(store.reads).toHaveLength(1);
  });
});
