// Files in encrypted rooms: how fast main encrypts a file before upload and checks (SHA-256)
// and decrypts one after download (AES-CTR-256 with Node's WebCrypto), on a 64 MB file.
import { randomBytes } from 'node:crypto';
import { decryptAttachment, encryptAttachment } from '../../main/core/chat/encrypted-attachment';
import { checkEncryptedFile } from '../../shared/chat/encrypted-file';
import { median, type Report } from '../report';

export async function run(report: Report): Promise<void> {
  const size = 64 * 1024 * 1024;
  const plain = randomBytes(size);
  const encrypt: number[] = [];
  const decrypt: number[] = [];
  for (let i = 0; i < 5; i++) {
    let start = performance.now();
    const sealed = await encryptAttachment(plain);
    encrypt.push(performance.now() - start);
    const check = checkEncryptedFile(sealed.file('mxc://bench/file'));
    if (!check.ok) throw new Error(check.detail);
    start = performance.now();
    const back = await decryptAttachment(sealed.ciphertext, check.file, 'bench');
    decrypt.push(performance.now() - start);
    if (back.length !== size) throw new Error('decrypted length differs');
  }
  const mb = size / 1024 / 1024;
  report.add('chat.encrypt_file_mb_per_s', mb / (median(encrypt) / 1000), 'MB/s');
  report.add('chat.decrypt_file_mb_per_s', mb / (median(decrypt) / 1000), 'MB/s');
}
