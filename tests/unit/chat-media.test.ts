// Files and images in chat, the pure decisions: the server's media config, content URIs and
// authenticated media paths (MSC3916), image types by magic bytes, the msgtype a file is sent
// as, the name a download is saved under, and which saved files may be opened.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  authenticatedMediaPath,
  cleanMimetype,
  downloadFileName,
  mediaInfoOf,
  mediaMsgtype,
  openPolicy,
  parseMediaConfig,
  parseMxc,
  safeFileName,
  sniffImageType,
  uploadRefusal,
} from '../../shared/chat/media';

const bytes = (...values: number[]) => new Uint8Array(values);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

describe('media config', () => {
  it('reads m.upload.size', () => {
    expect(parseMediaConfig({ 'm.upload.size': 52_428_800 })).toEqual({ maxUploadBytes: 52_428_800 });
  });

  it('names no limit when the server names none or something that is not a size', () => {
    for (const body of [{}, null, 'x', { 'm.upload.size': '50M' }, { 'm.upload.size': -1 }, { 'm.upload.size': 0 }, { 'm.upload.size': 1.5 }, { 'm.upload.size': 2 ** 60 }]) {
      expect(parseMediaConfig(body)).toEqual({ maxUploadBytes: null });
    }
  });

  it('refuses a file over the limit, or an empty one, before any byte is sent', () => {
    expect(uploadRefusal(1001, { maxUploadBytes: 1000 })).toBe('too_large');
    expect(uploadRefusal(1000, { maxUploadBytes: 1000 })).toBeNull();
    expect(uploadRefusal(10 ** 9, { maxUploadBytes: null })).toBeNull();
    expect(uploadRefusal(0, { maxUploadBytes: 1000 })).toBe('empty');
  });
});

describe('content URIs and authenticated media (MSC3916)', () => {
  it('parses mxc://server/id', () => {
    expect(parseMxc('mxc://example.org/AbC_12-x')).toEqual({ serverName: 'example.org', mediaId: 'AbC_12-x' });
    expect(parseMxc('mxc://127.0.0.1:8448/abc')).toEqual({ serverName: '127.0.0.1:8448', mediaId: 'abc' });
    expect(parseMxc('mxc://[::1]:8008/abc')).toEqual({ serverName: '[::1]:8008', mediaId: 'abc' });
  });

  it('refuses anything else (paths, queries, other schemes)', () => {
    for (const uri of ['https://example.org/a', 'mxc://example.org/../a', 'mxc://example.org/a/b', 'mxc://example.org/a?x=1', 'mxc://exa mple.org/a', 'mxc:///a', 'mxc://example.org/', 42, null, `mxc://e.org/${'a'.repeat(300)}`]) {
      expect(parseMxc(uri)).toBeNull();
    }
  });

  it('builds the download and thumbnail paths of /_matrix/client/v1/media', () => {
    expect(authenticatedMediaPath('mxc://example.org/abc', 'download')).toEqual({ path: '/_matrix/client/v1/media/download/example.org/abc', query: {} });
    expect(authenticatedMediaPath('mxc://127.0.0.1:8008/abc', 'thumbnail', { width: 320, height: 240 })).toEqual({
      path: '/_matrix/client/v1/media/thumbnail/127.0.0.1%3A8008/abc',
      query: { width: '320', height: '240', method: 'scale', animated: 'true' },
    });
    expect(authenticatedMediaPath('mxc://example.org/../../admin', 'download')).toBeNull();
  });
});

describe('image types by magic bytes', () => {
  it('knows PNG, JPEG, GIF and WebP', () => {
    expect(sniffImageType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(sniffImageType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(sniffImageType(bytes(...ascii('GIF89a')))).toBe('image/gif');
    expect(sniffImageType(bytes(...ascii('GIF87a')))).toBe('image/gif');
    expect(sniffImageType(bytes(...ascii('RIFF'), 1, 2, 3, 4, ...ascii('WEBPVP8 ')))).toBe('image/webp');
  });

  it('never calls SVG, HTML, a WAV or truncated bytes an image, whatever they are named', () => {
    expect(sniffImageType(bytes(...ascii('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')))).toBeNull();
    expect(sniffImageType(bytes(...ascii('<!DOCTYPE html><html>')))).toBeNull();
    expect(sniffImageType(bytes(...ascii('RIFF'), 1, 2, 3, 4, ...ascii('WAVEfmt ')))).toBeNull();
    expect(sniffImageType(bytes(0x89, 0x50, 0x4e))).toBeNull();
    expect(sniffImageType(bytes(...ascii('GIF89')))).toBeNull();
    expect(sniffImageType(bytes())).toBeNull();
  });

  it('sends as m.image only what its bytes say is an image', () => {
    expect(mediaMsgtype('image/png', 'image/png')).toBe('m.image');
    expect(mediaMsgtype(null, 'image/svg+xml')).toBe('m.file');
    expect(mediaMsgtype(null, 'video/mp4')).toBe('m.video');
    expect(mediaMsgtype(null, 'audio/ogg')).toBe('m.audio');
    expect(mediaMsgtype(null, 'application/pdf')).toBe('m.file');
  });

  it('cleans a declared MIME type', () => {
    expect(cleanMimetype('Application/PDF; charset=x')).toBe('application/pdf');
    expect(cleanMimetype('')).toBe('application/octet-stream');
    expect(cleanMimetype('text/html\r\nX-Evil: 1')).toBe('application/octet-stream');
  });
});

describe('the name a download is saved under', () => {
  it('keeps an ordinary name', () => {
    expect(safeFileName('report.pdf')).toBe('report.pdf');
    expect(safeFileName('Acta de la asamblea 2026.odt')).toBe('Acta de la asamblea 2026.odt');
    expect(safeFileName('議事録.pdf')).toBe('議事録.pdf');
  });

  it('strips folders, control characters, bidi tricks and characters Windows reserves', () => {
    expect(safeFileName('../../.bashrc')).toBe('_.._.bashrc');
    expect(safeFileName('/etc/passwd')).toBe('_etc_passwd');
    expect(safeFileName('C:\\Windows\\evil.dll')).toBe('C__Windows_evil.dll');
    expect(safeFileName('a\u0000b\nc\u0007.txt')).toBe('abc.txt');
    expect(safeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(safeFileName('what?<*>|".txt')).toBe('what______.txt');
  });

  it('never makes hidden files, device names or names ending in dots and spaces', () => {
    expect(safeFileName('.profile')).toBe('profile');
    expect(safeFileName('CON')).toBe('_CON');
    expect(safeFileName('nul.txt')).toBe('_nul.txt');
    expect(safeFileName('com1.pdf')).toBe('_com1.pdf');
    expect(safeFileName('report.pdf. . ')).toBe('report.pdf');
    expect(safeFileName('')).toBe('download');
    expect(safeFileName('...')).toBe('download');
    expect(safeFileName('//')).toBe('download');
  });

  it('shortens long names to 200 bytes, keeping the extension', () => {
    const name = safeFileName(`${'é'.repeat(300)}.pdf`);
    expect(name.endsWith('.pdf')).toBe(true);
    expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(200);
  });

  it('never clobbers: report (1).pdf, report (2).pdf, …', () => {
    const taken = new Set(['report.pdf', 'report (1).pdf']);
    expect(downloadFileName('report.pdf', (n) => taken.has(n))).toBe('report (2).pdf');
    expect(downloadFileName('notes', (n) => n === 'notes')).toBe('notes (1)');
    expect(downloadFileName('a/b.txt', () => false)).toBe('a_b.txt');
  });

  it('for any name, gives a name with no separators or control characters that is not taken', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.array(fc.string(), { maxLength: 5 }), (name, taken) => {
        const set = new Set(taken.map((t) => safeFileName(t)));
        const out = downloadFileName(name, (n) => set.has(n));
        expect(out).not.toMatch(/[/\\\p{Cc}]/u);
        expect(out).not.toMatch(/^\./);
        expect(out.length).toBeGreaterThan(0);
        expect(set.has(out)).toBe(false);
      }),
    );
  });
});

describe('which saved files may be opened', () => {
  it('opens documents, images and archives', () => {
    for (const name of ['report.pdf', 'photo.JPG', 'minutes.odt', 'budget.xlsx', 'notes.txt', 'music.ogg', 'archive.zip']) expect(openPolicy(name)).toEqual({ allowed: true });
  });

  it('refuses programs, scripts, launchers and active pages', () => {
    for (const name of ['setup.exe', 'run.bat', 'install.sh', 'Plenary.desktop', 'tool.AppImage', 'x.js', 'page.html', 'page.htm', 'drawing.svg', 'a.ps1', 'b.vbs', 'c.jar', 'd.msi', 'e.lnk', 'f.py', 'g.command', 'h.deb']) {
      const decision = openPolicy(name);
      expect(decision.allowed, name).toBe(false);
    }
    expect(openPolicy('report.pdf.exe')).toEqual({ allowed: false, reason: 'executable', extension: 'exe' });
    expect(openPolicy('trick.exe. ')).toEqual({ allowed: false, reason: 'executable', extension: 'exe' });
    expect(openPolicy('noextension')).toEqual({ allowed: false, reason: 'executable', extension: '' });
  });
});

describe('media in a message', () => {
  it('reads an image as Element sends it', () => {
    const content = {
      msgtype: 'm.image',
      body: 'cat.png',
      url: 'mxc://example.org/abc',
      info: { mimetype: 'image/png', size: 1234, w: 640, h: 480, 'xyz.amorgan.blurhash': 'LEHV6nWB2yk8pyo0adR*.7kCMdnj', thumbnail_url: 'mxc://example.org/thumb' },
    };
    expect(mediaInfoOf(content)).toEqual({
      msgtype: 'm.image',
      url: 'mxc://example.org/abc',
      name: 'cat.png',
      mimetype: 'image/png',
      size: 1234,
      width: 640,
      height: 480,
      blurhash: 'LEHV6nWB2yk8pyo0adR*.7kCMdnj',
      thumbnailUrl: 'mxc://example.org/thumb',
      encrypted: false,
      problem: null,
    });
  });

  it('drops what is not usable: bad URIs, odd sizes, a blurhash that is not one', () => {
    const info = mediaInfoOf({ msgtype: 'm.file', body: 'x', filename: 'report.pdf', url: 'https://evil.example/x', info: { size: -5, w: 'big', 'xyz.amorgan.blurhash': '<script>' } });
    expect(info).toMatchObject({ msgtype: 'm.file', url: null, name: 'report.pdf', size: null, width: null, blurhash: null });
    expect(mediaInfoOf({ msgtype: 'm.text', body: 'hi' })).toBeNull();
  });
});
