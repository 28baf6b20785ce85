import { describe, expect, it } from 'vitest';
import { parseUsername, parseUsernameList } from '@/components/ads/username';

describe('parseUsername', () => {
  it('accepts a leading @ and surrounding spaces', () => {
    expect(parseUsername('  @maya.creates ')).toEqual({ ok: true, username: 'maya.creates' });
    expect(parseUsername('jordan_films')).toEqual({ ok: true, username: 'jordan_films' });
    expect(parseUsername('ab')).toEqual({ ok: true, username: 'ab' });
    expect(parseUsername('a'.repeat(24))).toEqual({ ok: true, username: 'a'.repeat(24) });
  });
  it('says exactly what is wrong', () => {
    expect(parseUsername('   ')).toMatchObject({ ok: false, problem: { kind: 'empty' } });
    expect(parseUsername('@')).toMatchObject({ ok: false, problem: { kind: 'empty' } });
    expect(parseUsername('@a')).toMatchObject({ ok: false, problem: { kind: 'too_short' } });
    expect(parseUsername('a'.repeat(25))).toMatchObject({ ok: false, problem: { kind: 'too_long', length: 25 } });
    expect(parseUsername('maya-creates')).toMatchObject({ ok: false, problem: { kind: 'invalid_char', char: '-' } });
    expect(parseUsername('maya creates')).toMatchObject({ ok: false, problem: { kind: 'invalid_char', char: ' ' } });
    expect(parseUsername('mayä')).toMatchObject({ ok: false, problem: { kind: 'invalid_char', char: 'ä' } });
    expect(parseUsername('@@maya')).toMatchObject({ ok: false, problem: { kind: 'invalid_char', char: '@' } });
    expect(parseUsername('maya.')).toMatchObject({ ok: false, problem: { kind: 'ends_with_dot' } });
  });
});

describe('parseUsernameList', () => {
  it('splits on new lines, spaces, commas and semicolons and drops repeats', () => {
    const parsed = parseUsernameList('@maya.creates\n jordan_films, Maya.Creates;lina.travels  x');
    expect(parsed.map((p) => (p.ok ? p.username : `!${p.input}`))).toEqual([
      'maya.creates',
      'jordan_films',
      'lina.travels',
      '!x',
    ]);
  });
});

describe('parseUsername: pasted TikTok links', () => {
  it.each([
    ['https://www.tiktok.com/@Sam.Eats', 'sam.eats'],
    ['https://www.tiktok.com/@sam.eats?lang=en', 'sam.eats'],
    ['tiktok.com/@dev.kim/video/7301234567890', 'dev.kim'],
    ['http://m.tiktok.com/@lina_travels/', 'lina_travels'],
    ['  www.tiktok.com/@maya.creates#top  ', 'maya.creates'],
    ['@MAYA.CREATES', 'maya.creates'],
  ])('%s is @%s', (input, username) => {
    expect(parseUsername(input)).toEqual({ ok: true, username });
  });

  it('still refuses a link whose name breaks the rules, and links to other sites', () => {
    expect(parseUsername('https://www.tiktok.com/@a').ok).toBe(false);
    expect(parseUsername('https://www.evil.com/@sam.eats').ok).toBe(false);
    expect(parseUsername('https://www.tiktok.com.evil.com/@sam.eats').ok).toBe(false);
  });
});
