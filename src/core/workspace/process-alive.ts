/**
 * Whether a process id still names a running process: a run or a temporary folder recorded with a pid belongs to
 * a live writer only while this holds. A process that has ended but that no one has reaped yet (a zombie: its
 * parent died too and the container's init does not reap, as in Docker without --init) still answers kill(pid, 0),
 * so on Linux its state in /proc is read as well: a zombie is dead.
 */
import fs from 'node:fs';

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) S ...": the name may hold spaces and parentheses; the state follows the last ')'.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    // gone between the two looks, or no /proc: kill(pid, 0) said it runs
    return fs.existsSync('/proc/self') ? false : true;
  }
}
