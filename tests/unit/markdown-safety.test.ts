import { describe, expect, it } from 'vitest';
import { neutraliseHtml } from '../../main/core/governance/markdown-safety';

describe('neutraliseHtml', () => {
  it('turns raw HTML into the text that was typed', () => {
    expect(neutraliseHtml('<script>alert(1)</script>')).toBe('&lt;script>alert(1)&lt;/script>');
    expect(neutraliseHtml('See <img src=x onerror=alert(1)> here')).toBe('See &lt;img src=x onerror=alert(1)> here');
    expect(neutraliseHtml('a <!-- hidden --> b')).toBe('a &lt;!-- hidden --> b');
    expect(neutraliseHtml('- item <b>bold</b>\n> quote <iframe src=x>')).toBe('- item &lt;b>bold&lt;/b>\n> quote &lt;iframe src=x>');
  });

  it('leaves Markdown, comparisons and code as typed', () => {
    const prose = '# Title\n\n**bold**, 3 < 4 and 5 <= 6\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n';
    expect(neutraliseHtml(prose)).toBe(prose);
    const code = '```html\n<div>kept</div>\n```\n\n    <pre>indented</pre>\n\nInline `<b>` and ``a `<i>` b`` stay.\n';
    expect(neutraliseHtml(code)).toBe(code);
    const nested = '- step\n  ```\n  <p>in a list</p>\n  ```\n- <b>not code</b>';
    expect(neutraliseHtml(nested)).toBe('- step\n  ```\n  <p>in a list</p>\n  ```\n- &lt;b>not code&lt;/b>');
  });
});
