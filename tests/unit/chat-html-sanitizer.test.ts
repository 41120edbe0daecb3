// The formatted_body sanitizer: the Matrix allow-list, safe links only, no scripts or
// event handlers, limited nesting, reply fallbacks removed.
import { describe, expect, it } from 'vitest';
import { maxNestingDepth, sanitizeMatrixHtml } from '../../main/core/chat/html-sanitizer';

describe('sanitizeMatrixHtml', () => {
  it('keeps the formatting the spec allows', () => {
    const html = '<h2>Agenda</h2><ol start="3"><li><strong>bold</strong> <em>em</em> <del>del</del> <s>s</s> <code class="language-ts">x</code></li></ol><blockquote>q</blockquote><pre><code>y</code></pre><details><summary>more</summary>hidden</details><table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>';
    expect(sanitizeMatrixHtml(html)).toBe(html);
  });

  it('removes scripts, styles, frames, forms, images and every event handler', () => {
    const out = sanitizeMatrixHtml(
      '<script>alert(1)</script><style>*{}</style><iframe src="https://x"></iframe><form><input></form><img src="mxc://a/b" onerror="x()"><p onclick="x()" style="color:red" class="c">text</p><svg onload="x()"><a href="https://x">s</a></svg>',
    );
    expect(out).toBe('<p>text</p>');
  });

  it('allows only absolute https, http and mailto links, opened outside with noopener', () => {
    expect(sanitizeMatrixHtml('<a href="https://meet.coop">a</a>')).toBe('<a href="https://meet.coop" target="_blank" rel="noopener noreferrer">a</a>');
    expect(sanitizeMatrixHtml('<a href="mailto:hi@meet.coop">m</a>')).toContain('href="mailto:hi@meet.coop"');
    // Links the shell would not open (matrix:, relative ones that would resolve against
    // Plenary's own pages) become plain text: no href, no empty <a> left behind.
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java\nscript:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:x', '//evil.example', 'file:///etc/passwd', 'ftp://x', 'matrix:r/coop:meet.coop', '/settings', 'index.html', '#/chat', '']) {
      const clean = sanitizeMatrixHtml(`<p>see <a href="${bad}">x</a></p>`);
      expect(clean, bad).toBe('<p>see <span>x</span></p>');
    }
  });

  it('keeps colours only as hex #rrggbb or #rgb', () => {
    expect(sanitizeMatrixHtml('<font color="#ff0000" data-mx-color="#00FF00">red</font>')).toBe('<font color="#ff0000" data-mx-color="#00FF00">red</font>');
    expect(sanitizeMatrixHtml('<span data-mx-bg-color="red" data-mx-color="#12345" data-mx-spoiler="why">x</span>')).toBe('<span data-mx-spoiler="why">x</span>');
    expect(sanitizeMatrixHtml('<font color="expression(alert(1))">x</font>')).toBe('<font>x</font>');
  });

  it('keeps nested tables but caps nesting depth at the spec limit', () => {
    expect(sanitizeMatrixHtml('<table><tr><td><table><tr><td>in</td></tr></table></td></tr></table>')).toBe('<table><tr><td><table><tr><td>in</td></tr></table></td></tr></table>');
    const deep = sanitizeMatrixHtml('<div>'.repeat(5000) + 'x' + '</div>'.repeat(5000))!;
    expect((deep.match(/<div>/g) ?? []).length).toBe(maxNestingDepth);
    expect(deep).toContain('x');
  });

  it('drops the rich-reply fallback with everything in it', () => {
    expect(sanitizeMatrixHtml('<mx-reply><blockquote><a href="https://matrix.to/#/!r/$e">In reply to</a> quoted</blockquote></mx-reply>answer')).toBe('answer');
  });

  it('keeps spec attributes only where allowed and returns null for nothing', () => {
    expect(sanitizeMatrixHtml('<font color="#f00" data-mx-color="#f00" face="x">c</font>')).toBe('<font color="#f00" data-mx-color="#f00">c</font>');
    expect(sanitizeMatrixHtml('<span data-mx-spoiler="why" title="t">s</span>')).toBe('<span data-mx-spoiler="why">s</span>');
    expect(sanitizeMatrixHtml('<script>x</script>')).toBeNull();
  });
});
