/**
 * An image built offline with `docker import` from a static busybox: no registry is
 * needed. It runs the example stack's services and netmigrate's connectivity probes.
 */
import {closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import {execa, execaSync} from 'execa';

export const busyboxImage = 'netmigrate/busybox:1';

const busyboxCandidates = ['/var/cache/netmigrate/busybox', '/usr/bin/busybox', '/bin/busybox'];

/** A busybox that runs without libraries, so it can be copied into an empty image. */
export function findStaticBusybox(): string {
	for (const candidate of busyboxCandidates) {
		if (existsSync(candidate) && isStatic(candidate)) return candidate;
	}
	throw new Error(
		`no static busybox found (looked at ${busyboxCandidates.join(', ')}): install one (Debian: busybox-static), or pass --probe-image`,
	);
}

export async function hasImage(docker: Docker, tag: string): Promise<boolean> {
	try {
		await docker.getImage(tag).inspect();
		return true;
	} catch {
		return false;
	}
}

/** Imports the busybox image unless the engine already has it. Returns its tag. */
export async function ensureBusyboxImage(docker: Docker, tag = busyboxImage, busybox = findStaticBusybox()): Promise<string> {
	if (await hasImage(docker, tag)) return tag;
	const rootfs = mkdtempSync(path.join(tmpdir(), 'nm-rootfs-'));
	try {
		buildRootfs(rootfs, busybox);
		const tar = execa('tar', ['-C', rootfs, '--owner=0', '--group=0', '-c', '.'], {buffer: false, stdout: 'pipe'});
		const [repo, version] = tag.split(':') as [string, string];
		const stream = (await docker.importImage(
			tar.stdout as unknown as NodeJS.ReadableStream,
			{
				repo,
				tag: version,
				changes: ['CMD ["/bin/sh"]', 'ENV PATH=/bin:/sbin'],
			} as never,
		)) as unknown as NodeJS.ReadableStream;
		await new Promise<void>((resolve, reject) => {
			docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve()));
		});
		await tar;
		if (!(await hasImage(docker, tag))) throw new Error(`docker import did not produce ${tag}`);
		return tag;
	} finally {
		rmSync(rootfs, {recursive: true, force: true});
	}
}

function buildRootfs(rootfs: string, busybox: string): void {
	for (const dir of ['bin', 'sbin', 'etc', 'tmp', 'www', 'proc', 'sys', 'dev', 'root']) mkdirSync(path.join(rootfs, dir));
	copyFileSync(busybox, path.join(rootfs, 'bin/busybox'));
	const applets = execaSync(busybox, ['--list']).stdout.split('\n').filter(Boolean);
	for (const applet of applets) {
		if (applet === 'busybox') continue;
		symlinkSync('busybox', path.join(rootfs, 'bin', applet));
	}
	writeFileSync(path.join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
	writeFileSync(path.join(rootfs, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
	writeFileSync(path.join(rootfs, 'www/index.html'), 'netmigrate busybox\n');
}

/** A dynamically linked ELF names its loader (`/lib64/ld-linux-x86-64.so.2`) near the start. */
function isStatic(file: string): boolean {
	const head = Buffer.alloc(4096);
	const fd = openSync(file, 'r');
	try {
		const length = readSync(fd, head, 0, head.length, 0);
		return head.subarray(0, 4).toString('latin1') === '\x7fELF' && !head.subarray(0, length).includes('ld-linux');
	} finally {
		closeSync(fd);
	}
}
