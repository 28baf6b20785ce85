import { describe, expect, it } from 'vitest';
import {
  cleanUsername,
  isTikTokWebUrl,
  liveUrl,
  MESSAGES_URL,
  openInTikTokUrl,
  profileUrl,
  videoOwner,
  videoUrl,
} from '@/utils/tiktok-urls';

describe('tiktok urls', () => {
  it('builds profile, video, live and messages pages on www.tiktok.com', () => {
    expect(profileUrl('@some_user')).toBe('https://www.tiktok.com/@some_user');
    expect(videoUrl('cocoyola', '7234867719043157274')).toBe(
      'https://www.tiktok.com/@cocoyola/video/7234867719043157274',
    );
    expect(liveUrl('a.b_c')).toBe('https://www.tiktok.com/@a.b_c/live');
    expect(MESSAGES_URL).toBe('https://www.tiktok.com/messages');
  });

  it('refuses usernames TikTok would refuse, and anything that could change the path or host', () => {
    for (const bad of [
      '',
      'a',
      'x'.repeat(25),
      'ends.',
      'a/b',
      '../etc',
      'a?b',
      'a#b',
      'user@evil.com',
      'ünï',
      'a b',
      '@@x',
      'x%2F',
    ]) {
      expect(cleanUsername(bad), bad).toBeNull();
      expect(profileUrl(bad), bad).toBeNull();
    }
  });

  it('refuses non-numeric video ids and falls back to the profile', () => {
    expect(videoUrl('user1', '123abc')).toBeNull();
    expect(videoUrl('user1', '1/../../x')).toBeNull();
    expect(openInTikTokUrl('comment', { username: 'user1', video_id: 'javascript:alert(1)' })).toBe(
      'https://www.tiktok.com/@user1',
    );
    expect(openInTikTokUrl('like', { username: 'user1', video_id: '7234867719043157274' })).toBe(
      'https://www.tiktok.com/@user1/video/7234867719043157274',
    );
  });

  it('picks the page for each kind, or none', () => {
    expect(openInTikTokUrl('message', {})).toBe(MESSAGES_URL);
    expect(openInTikTokUrl('follower', { username: 'fan.one' })).toBe('https://www.tiktok.com/@fan.one');
    expect(openInTikTokUrl('live', { username: 'streamer' })).toBe('https://www.tiktok.com/@streamer/live');
    expect(openInTikTokUrl('follower', {})).toBeNull();
    expect(openInTikTokUrl('code', { username: 'x1' })).toBeNull();
    expect(openInTikTokUrl('ads', { username: 'x1' })).toBeNull();
  });

  it('accepts only https://www.tiktok.com pages', () => {
    expect(isTikTokWebUrl('https://www.tiktok.com/@a1')).toBe(true);
    for (const bad of [
      'http://www.tiktok.com/',
      'https://www.tiktok.com.evil.com/',
      'https://evil.com/www.tiktok.com',
      'javascript:alert(1)',
      'https://user@www.tiktok.com/',
      'https://www.tiktok.com:8443/',
      'https://www.tiktok.co/',
      'not a url',
    ]) {
      expect(isTikTokWebUrl(bad), bad).toBe(false);
    }
  });

  it('opens the liked or commented video under its owner, read from a TikTok link of the email for that video id', () => {
    const links = [
      'https://www.tiktok.com/@fan.one',
      'https://www.tiktok.com/@me.creator/video/7234867719043157274?lang=en',
    ];
    expect(videoOwner(links, '7234867719043157274')).toBe('me.creator');
    expect(openInTikTokUrl('like', { username: 'fan.one', video_id: '7234867719043157274', tiktok_links: links })).toBe(
      'https://www.tiktok.com/@me.creator/video/7234867719043157274',
    );
    // Another video's link, a lookalike host, http or a bad username never name the owner.
    for (const bad of [
      'https://www.tiktok.com/@me.creator/video/1111',
      'https://www.tiktok.com.evil.example/@evil/video/7234867719043157274',
      'http://www.tiktok.com/@evil/video/7234867719043157274',
      'https://www.tiktok.com/@ev%2Fil/video/7234867719043157274',
    ]) {
      expect(videoOwner([bad], '7234867719043157274'), bad).toBeNull();
    }
    expect(
      openInTikTokUrl('comment', {
        username: 'fan.one',
        video_id: '7234867719043157274',
        tiktok_links: ['https://evil.example/@x/video/7234867719043157274'],
      }),
    ).toBe('https://www.tiktok.com/@fan.one/video/7234867719043157274');
  });
});
