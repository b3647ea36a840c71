/** SHA256SUMS beside the artifacts, in `sha256sum -c` format, so an operator can check a copy. */
import {createHash} from 'node:crypto';
import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';

const artifact = /^netmigrate-(linux-[\w]+|[\d.]+\.tgz)$/;

export function writeChecksums(folder) {
	const lines = readdirSync(folder)
		.filter((name) => artifact.test(name) && statSync(path.join(folder, name)).isFile())
		.sort()
		.map(
			(name) =>
				`${createHash('sha256')
					.update(readFileSync(path.join(folder, name)))
					.digest('hex')}  ${name}\n`,
		);
	writeFileSync(path.join(folder, 'SHA256SUMS'), lines.join(''));
	return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(writeChecksums(process.argv[2] ?? 'dist/sea').join(''));
