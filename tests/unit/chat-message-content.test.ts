// What Plenary sends: Markdown as formatted_body, replies with their fallback, edits,
// reactions, intentional mentions, and the size limit.
import { describe, expect, it } from 'vitest';
import { composeEdit, composeMessage, composeReaction, markdownToHtml, mentionedUserIds, stripReplyFallback } from '../../main/core/chat/message-content';
import { PlenaryError } from '../../shared/errors';

describe('message content', () => {
  it('sends formatted_body only when Markdown formats something', () => {
    expect(markdownToHtml('plain words\nsecond line')).toBeNull();
    expect(markdownToHtml('**consent**')).toBe('<p><strong>consent</strong></p>');
    expect(markdownToHtml('- a\n- b')).toBe('<ul>\n<li>a</li>\n<li>b</li>\n</ul>');
    expect(composeMessage('hello')).toEqual({ msgtype: 'm.text', body: 'hello', 'm.mentions': {} });
    expect(composeMessage('`code`')).toMatchObject({ format: 'org.matrix.custom.html', formatted_body: '<p><code>code</code></p>' });
  });

  it('shows raw HTML typed in the composer as text and never sends a script', () => {
    const html = markdownToHtml('**x** <script>alert(1)</script> <b onclick="y()">b</b>')!;
    // Only escaped text remains: no element but the Markdown ones.
    expect([...html.matchAll(/<([a-z]+)/g)].map((m) => m[1])).toEqual(['p', 'strong']);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('&lt;b onclick');
    expect(markdownToHtml('[x](javascript:alert(1))')).not.toContain('javascript:');
  });

  it('collects intentional mentions from Matrix IDs and @room', () => {
    expect(mentionedUserIds('hi @ana:meet.coop and (@bo:example.org:8448), not email@x.org')).toEqual(['@ana:meet.coop', '@bo:example.org:8448']);
    expect(composeMessage('@room vote today')['m.mentions']).toEqual({ room: true });
  });

  it('builds a rich reply with the fallback and mentions the replied-to sender', () => {
    const content = composeMessage('Agreed', {
      ownUserId: '@me:hs',
      replyTo: { roomId: '!r:hs', eventId: '$e', sender: '@ana:hs', body: 'Line one\nline <two>', html: null },
    });
    expect(content.body).toBe('> <@ana:hs> Line one\n> line <two>\n\nAgreed');
    expect(content.formatted_body).toBe(
      '<mx-reply><blockquote><a href="https://matrix.to/#/!r%3Ahs/%24e">In reply to</a> <a href="https://matrix.to/#/%40ana%3Ahs">@ana:hs</a><br />Line one<br />line &lt;two&gt;</blockquote></mx-reply>Agreed',
    );
    expect(content['m.relates_to']).toEqual({ 'm.in_reply_to': { event_id: '$e' } });
    expect(content['m.mentions']).toEqual({ user_ids: ['@ana:hs'] });
    expect(stripReplyFallback(content.body as string)).toBe('Agreed');
  });

  it('builds edits with m.new_content and pings only newly mentioned people', () => {
    const edit = composeEdit('$orig', 'now with @bo:hs and **bold**', 'was for @ana:hs');
    expect(edit).toMatchObject({
      body: '* now with @bo:hs and **bold**',
      formatted_body: '* <p>now with @bo:hs and <strong>bold</strong></p>',
      'm.new_content': { msgtype: 'm.text', body: 'now with @bo:hs and **bold**', 'm.mentions': { user_ids: ['@bo:hs'] } },
      'm.mentions': { user_ids: ['@bo:hs'] },
      'm.relates_to': { rel_type: 'm.replace', event_id: '$orig' },
    });
    expect(composeEdit('$o', 'same @ana:hs', 'was @ana:hs')['m.mentions']).toEqual({});
  });

  it('builds reactions as annotations', () => {
    expect(composeReaction('$e', '👍')).toEqual({ 'm.relates_to': { rel_type: 'm.annotation', event_id: '$e', key: '👍' } });
  });

  it('drops formatting for very long messages and refuses what cannot fit in an event', () => {
    const long = '**b** ' + 'x'.repeat(40_000);
    const content = composeMessage(long);
    expect(content.formatted_body).toBeUndefined();
    expect(content.body).toBe(long);
    const error = (() => {
      try {
        composeMessage('y'.repeat(70_000));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PlenaryError);
    expect(error).toMatchObject({ field: 'text', params: { reason: 'too_long' } });
  });

  it('strips reply fallbacks only at the start', () => {
    expect(stripReplyFallback('> <@a:hs> q\n> more\n\nanswer\n> not a quote')).toBe('answer\n> not a quote');
    expect(stripReplyFallback('no quote')).toBe('no quote');
  });
});
