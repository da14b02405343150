import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Stored {
  payload: AdapterPayload;
  expiresAt: number;
}

class MemoryAdapter implements Adapter {
  constructor(private readonly items: Map<string, Stored>) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
    this.items.set(id, { payload, expiresAt: Date.now() + expiresIn * 1000 });
  }

  async find(id: string) {
    const stored = this.items.get(id);
    if (!stored) return undefined;
    if (stored.expiresAt <= Date.now()) {
      this.items.delete(id);
      return undefined;
    }
    return stored.payload;
  }

  async findByUid(uid: string) {
    for (const [id, stored] of this.items) {
      if (stored.payload.uid === uid) return this.find(id);
    }
    return undefined;
  }

  async findByUserCode(userCode: string) {
    for (const [id, stored] of this.items) {
      if (stored.payload.userCode === userCode) return this.find(id);
    }
    return undefined;
  }

  async consume(id: string) {
    const stored = this.items.get(id);
    if (stored) {
      stored.payload.consumed = Math.floor(Date.now() / 1000);
    }
  }

  async destroy(id: string) {
    this.items.delete(id);
  }

  async revokeByGrantId(grantId: string) {
    for (const [id, stored] of this.items) {
      if (stored.payload.grantId === grantId) this.items.delete(id);
    }
  }
}

/**
 * Sessions, grants and tokens in memory, one store per provider, deliberately: a
 * restart signs everyone out of the local IdP and nothing else is lost.
 * (oidc-provider's own memory adapter works alike but warns about it on every start.)
 */
export function createMemoryAdapter(): new (model: string) => Adapter {
  const models = new Map<string, Map<string, Stored>>();
  return class extends MemoryAdapter {
    constructor(model: string) {
      let items = models.get(model);
      if (!items) {
        items = new Map();
        models.set(model, items);
      }
      super(items);
    }
  };
}
