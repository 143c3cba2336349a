/*
 * The kernel's floor for a parked round trip between two processes: fork, then ping-pong a counter through two
 * shared futex words, each side sleeping in FUTEX_WAIT until woken. `jipc bench futex` compiles and runs it beside
 * jipc's PARK strategy. Usage: futex_pingpong ROUNDS WARMUP; prints "p50 p99 p99.9 max count" in nanoseconds.
 */
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_while(int *word, int value)
{
    while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == value)
    {
        syscall(SYS_futex, word, FUTEX_WAIT, value, NULL, NULL, 0);
    }
}

static void publish(int *word, int value)
{
    __atomic_store_n(word, value, __ATOMIC_RELEASE);
    syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
}

static int compare(const void *a, const void *b)
{
    const long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    const int rounds = argc > 1 ? atoi(argv[1]) : 100000;
    const int warmup = argc > 2 ? atoi(argv[2]) : 10000;
    const int total = rounds + warmup;
    int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int *ping = shared, *pong = shared + 32; /* two cache lines apart */
    if (shared == MAP_FAILED)
    {
        perror("mmap");
        return 1;
    }
    const pid_t child = fork();
    if (child == 0)
    {
        for (int i = 1; i <= total; i++)
        {
            sleep_while(ping, i - 1);
            publish(pong, i);
        }
        _exit(0);
    }
    long *times = malloc(sizeof(long) * rounds);
    for (int i = 1; i <= total; i++)
    {
        struct timespec start, end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        publish(ping, i);
        sleep_while(pong, i - 1);
        clock_gettime(CLOCK_MONOTONIC, &end);
        if (i > warmup)
        {
            times[i - warmup - 1] = (end.tv_sec - start.tv_sec) * 1000000000L + end.tv_nsec - start.tv_nsec;
        }
    }
    waitpid(child, NULL, 0);
    qsort(times, rounds, sizeof(long), compare);
    printf("%ld %ld %ld %ld %d\n", times[rounds / 2], times[(long)rounds * 99 / 100], times[(long)rounds * 999 / 1000],
        times[rounds - 1], rounds);
    return 0;
}
