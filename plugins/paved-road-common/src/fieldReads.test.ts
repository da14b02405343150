import { watchFieldReads } from './fieldReads';

describe('watchFieldReads', () => {
  it('names the fields never read in objects where others were read', () => {
    const value = {
      spec: { source: { repoURL: 'u', repoUrl: 'typo' }, extra: 1 },
      metadata: { labels: { free: 'form' } },
    };
    const { watched, unreadFields } = watchFieldReads(value);
    const read = watched as typeof value;
    expect(read.spec.source.repoURL).toBe('u');
    expect('metadata' in read).toBe(true);

    expect(unreadFields()).toEqual([
      { path: '/spec', key: 'extra' },
      { path: '/spec/source', key: 'repoUrl' },
    ]);
  });

  it('leaves alone objects none of whose fields were read, and arrays', () => {
    const { watched, unreadFields } = watchFieldReads({
      items: [{ a: 1 }],
      free: { anything: true },
    });
    const read = watched as { items: Array<{ a: number }>; free: object };
    expect(read.items[0].a).toBe(1);
    void read.free;
    expect(unreadFields()).toEqual([]);
  });
});
