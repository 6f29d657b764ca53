/*
 * bench/timeit: run a command several times and report its wall time and
 * peak resident set size, with a finer clock than /usr/bin/time's 10 ms.
 *
 *   timeit [-n RUNS] [-w WARMUP] [-p PREP] [-o OUT] [-e ERR] -- COMMAND ...
 *
 * Each run forks and execs COMMAND with stdout to OUT (default /dev/null)
 * and stderr to ERR (default: inherited); the wall time is taken around fork
 * and wait4, the peak RSS is the child's ru_maxrss from wait4.  PREP is a shell
 * command run (untimed) before every run, warm-up runs included: for example
 * copying a fresh database into place.  WARMUP runs (default 1 when RUNS > 1,
 * else 0) are not counted.
 *
 * Prints one line: median_ms min_ms max_ms peak_rss_kib runs median_cpu_ms,
 * where CPU is the child's user + system time (wait4), which a busy machine
 * disturbs less than the wall time.  Exits 1 when a run failed (non-zero
 * status or a signal).
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of n sorted values. */
static double
median(const double *v, int n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double
tv_ms(struct timeval tv)
{
	return (double)tv.tv_sec * 1e3 + (double)tv.tv_usec / 1e3;
}

/* One run: its wall time in *ms, CPU time in *cpu and peak RSS in *rss;
 * false on failure. */
static bool
run_once(char **cmd, const char *out, const char *err, double *ms, double *cpu,
         long *rss)
{
	struct rusage ru;
	double t0 = now_ms();
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("timeit: fork");
		return false;
	}
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (o < 0 || dup2(o, 1) < 0)
			_exit(126);
		close(o);
		if (err != NULL) {
			int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);

			if (e < 0 || dup2(e, 2) < 0)
				_exit(126);
			close(e);
		}
		execvp(cmd[0], cmd);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid) {
		perror("timeit: wait4");
		return false;
	}
	*ms = now_ms() - t0;
	*cpu = tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime);
	*rss = ru.ru_maxrss;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "timeit: %s failed (status %d)%s%s\n", cmd[0],
		        WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		        err != NULL ? ", see " : "", err != NULL ? err : "");
		return false;
	}
	return true;
}

int
main(int argc, char **argv)
{
	const char *prep = NULL, *out = "/dev/null", *err = NULL;
	int runs = 1, warm = -1, c, i;
	double *ms, *cpu;
	long rss, maxrss = 0;

	while ((c = getopt(argc, argv, "n:w:p:o:e:")) != -1) {
		switch (c) {
		case 'n':
			runs = (int)strtol(optarg, NULL, 10);
			break;
		case 'w':
			warm = (int)strtol(optarg, NULL, 10);
			break;
		case 'p':
			prep = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'e':
			err = optarg;
			break;
		default:
			return 2;
		}
	}
	if (optind >= argc || runs < 1 || runs > 10000) {
		fprintf(stderr,
		        "usage: timeit [-n RUNS] [-w WARMUP] [-p PREP] [-o OUT] [-e ERR] -- COMMAND ...\n");
		return 2;
	}
	if (warm < 0)
		warm = runs > 1 ? 1 : 0;
	ms = calloc((size_t)runs, sizeof(*ms));
	cpu = calloc((size_t)runs, sizeof(*cpu));
	if (ms == NULL || cpu == NULL)
		return 1;
	for (i = -warm; i < runs; i++) {
		double t, tc;

		if (prep != NULL && system(prep) != 0) {
			fprintf(stderr, "timeit: prep failed: %s\n", prep);
			return 1;
		}
		if (!run_once(argv + optind, out, err, &t, &tc, &rss))
			return 1;
		if (i >= 0) {
			ms[i] = t;
			cpu[i] = tc;
			if (rss > maxrss)
				maxrss = rss;
		}
	}
	qsort(ms, (size_t)runs, sizeof(*ms), cmp_double);
	qsort(cpu, (size_t)runs, sizeof(*cpu), cmp_double);
	printf("%.1f %.1f %.1f %ld %d %.1f\n", median(ms, runs), ms[0],
	       ms[runs - 1], maxrss, runs, median(cpu, runs));
	free(ms);
	free(cpu);
	return 0;
}
