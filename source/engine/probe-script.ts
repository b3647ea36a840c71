/**
 * What a probe runs and how its output reads: the same shell lines in a probe container beside
 * the source (one host) and in a probe task on the source's node (a swarm), so both judge a
 * connection the same way.
 */

/** Probes (containers and swarm services) carry the stack's name, so a run sweeps up only its own. */
export const stackLabel = 'netmigrate.stack';

export type ProbeOutcome = {
	connected: boolean;
	httpStatus?: number;
	latencyMs?: number;
	detail: string;
};

/**
 * `sh -c` lines for `$1` url, `$2` address, `$3` port. TCP first: a closed or filtered port costs
 * one timeout, not two. Only an open port is asked over HTTP, whose status tells a firewall's 403
 * or a proxy's 5xx from a real answer. busybox date has no %N; ts prints the epoch with microseconds.
 */
export function probeScript(timeoutSeconds: number): string {
	return [
		't0=$(echo | ts "%.s")',
		`if ! timeout ${timeoutSeconds} nc "$2" "$3" </dev/null >/dev/null 2>&1; then echo tcp=closed; exit 0; fi`,
		't1=$(echo | ts "%.s")',
		'awk -v a="$t0" -v b="$t1" \'BEGIN { printf "ms=%.1f\\n", (b - a) * 1000 }\'',
		'echo tcp=open',
		`timeout ${timeoutSeconds} wget -S -O /dev/null "$1" 2>&1 | grep -m1 "HTTP/" || true`,
	].join('\n');
}

/**
 * For a probe task, `$1` address (may be empty), `$2` port, `$3` the name to resolve: the
 * resolver's answer between markers, then the probe of the address — or of the name's first
 * answer — then an end marker, so a cut-off log is told from a finished one.
 */
export function taskScript(timeoutSeconds: number): string {
	return [
		'echo "--- resolve"',
		'timeout 3 nslookup "$3" 2>/dev/null',
		'echo "--- probe"',
		'addr="$1"',
		'[ -n "$addr" ] || addr=$(timeout 3 nslookup "$3" 2>/dev/null | awk \'/^Name:/ { n = 1 } n && /^Address/ { print $NF; exit }\')',
		'if [ -z "$addr" ]; then echo "tcp=unresolved"; echo "--- end"; exit 0; fi',
		'echo "address=$addr"',
		'set -- "http://$addr:$2/" "$addr" "$2"',
		`(\n${probeScript(timeoutSeconds)}\n)`,
		'echo "--- end"',
	].join('\n');
}

export function probeOutcome(output: string): ProbeOutcome {
	const latency = /ms=([\d.]+)/.exec(output)?.[1];
	const status = /HTTP\/[\d.]+ (\d{3})/.exec(output)?.[1];
	const tcpOpen = /tcp=open/.test(output);
	const detail = output
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line && !line.startsWith('ms='))
		.join(' ')
		.trim();
	return {
		connected: status !== undefined || tcpOpen,
		...(status ? {httpStatus: Number(status)} : {}),
		...(latency ? {latencyMs: Number(latency)} : {}),
		detail,
	};
}

/** The addresses in busybox nslookup's answer (after the server's own lines). */
export function resolvedAddresses(output: string): string[] {
	const answer = output
		.split(/Name:\s/)
		.slice(1)
		.join('\n');
	return [...answer.matchAll(/Address(?:\s\d+)?:\s*([0-9a-f.:]+)/gi)].map((match) => match[1] as string);
}

/** A probe task's log, split into what it resolved and how its probe went. */
export function taskOutcome(log: string): {finished: boolean; resolved: string[]; address?: string; probe?: ProbeOutcome} {
	const resolveText = log.split('--- resolve')[1]?.split('--- probe')[0] ?? '';
	const probeText = log.split('--- probe')[1]?.split('--- end')[0] ?? '';
	const address = /^address=(\S+)$/m.exec(probeText)?.[1];
	const probeLines = probeText
		.split('\n')
		.filter((line) => !line.startsWith('address='))
		.join('\n');
	return {
		finished: log.includes('--- end'),
		resolved: resolvedAddresses(resolveText),
		...(address ? {address, probe: probeOutcome(probeLines)} : {}),
	};
}
