/**
 * What the reachability matrix runs and reads inside a namespace, as text: the ports a namespace
 * listens on for others, from /proc/net/tcp and tcp6, and the `sh -c` script a probe runs to
 * connect from a source to every target at once, with the parser of its output. Pure; the
 * probing around them is source/engine/reachability.ts.
 */
const listenState = '0A';

/**
 * Ports listened on for other namespaces, from /proc/net/tcp{,6} text: state LISTEN, bound to
 * any address but loopback (a port on 127.0.0.1 or ::1 answers only inside the namespace).
 */
export function listeningPorts(tcp: string, tcp6: string): number[] {
	const ports = new Set<number>();
	for (const [text, loopback] of [
		[tcp, (hex: string) => hex.endsWith('7F')],
		[tcp6, (hex: string) => hex === '00000000000000000000000001000000' || /^0000000000000000FFFF0000.{6}7F$/.test(hex)],
	] as const) {
		for (const line of text.split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			const [addressHex, portHex] = (fields[1] ?? '').split(':');
			if (fields[3] !== listenState || !addressHex || !portHex || loopback(addressHex.toUpperCase())) continue;
			ports.add(Number.parseInt(portHex, 16));
		}
	}
	return [...ports].sort((a, b) => a - b);
}

/**
 * `sh -c` lines that connect to every `address port` given as arguments, `batch` at a time, and
 * print `address port open` for each that opens; one that does not print is closed. busybox
 * `nc -w` bounds the connect (a blocked pair's SYN is dropped, never refused, so it costs the
 * whole timeout); on connect `-e` execs a shell in nc's own process that prints to the script's
 * output, kept on fd 3 (nc gives the program the socket as stdin and stdout, and leaves the
 * rest): one process a connect, where a subshell, nc and an echo were three. A batch is waited
 * for whole and costs a timeout when it holds a blocked pair, so batches are large: a
 * 200-service stack has 400 to 600 targets a source, mostly blocked. (busybox ash's `wait -n`,
 * which would keep a window full instead, hung for minutes under 600 connects: measured.)
 */
export function connectAllScript(timeoutSeconds: number, batch = connectBatch): string {
	return [
		'exec 3>&1',
		'running=0',
		'while [ $# -ge 2 ]; do',
		`  nc -w ${timeoutSeconds} "$1" "$2" -e sh -c 'echo "$0 $1 open" >&3' "$1" "$2" </dev/null >/dev/null 2>&1 &`,
		'  shift 2',
		`  running=$((running + 1)); if [ "$running" -ge ${batch} ]; then wait; running=0; fi`,
		'done',
		'wait',
	].join('\n');
}

/**
 * Connects started before a source waits for them all. Eight sources at once with 1,024 each is
 * 8,192 sleeping busybox processes, some tens of MB; the window's cost is starting them, once each.
 */
export const connectBatch = 1024;

/** The `address port open` lines of connectAllScript, keyed `address port`; a target not named is closed. */
export function connectResults(output: string): Map<string, {open: boolean}> {
	const results = new Map<string, {open: boolean}>();
	for (const line of output.split('\n')) {
		const match = /^(\S+) (\d+) open$/.exec(line.trim());
		if (match) results.set(`${match[1]} ${match[2]}`, {open: true});
	}
	return results;
}
