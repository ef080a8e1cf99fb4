// Cross-check of the wake-up probe (src/host/wake-probe.ts) without Node: round trips over two pipes
// between two processes pinned to cpu0 and cpu1, back to back and after pauses of 50 µs … 1 ms.
// Usage: gcc -O2 -o /tmp/wake-cost scripts/wake-cost.c && /tmp/wake-cost [round trips per pause=2000]
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
static double now_us(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e6+t.tv_nsec/1e3;}
static void pin(int c){cpu_set_t s;CPU_ZERO(&s);CPU_SET(c,&s);sched_setaffinity(0,sizeof s,&s);}
static int cmp(const void*a,const void*b){double x=*(double*)a,y=*(double*)b;return x<y?-1:x>y;}
int main(int argc,char**argv){
  int n=argc>1?atoi(argv[1]):2000; int pauses[]={0,50,100,200,500,1000};
  int ab[2],ba[2]; pipe(ab); pipe(ba); char b='x';
  if(fork()==0){pin(1);for(;;){if(read(ab[0],&b,1)!=1)_exit(0);write(ba[1],&b,1);}}
  pin(0); double *rtt=malloc(sizeof(double)*n);
  for(unsigned p=0;p<sizeof pauses/sizeof*pauses;p++){
    for(int i=0;i<n;i++){
      if(pauses[p]){struct timespec ts={0,pauses[p]*1000L};nanosleep(&ts,0);}
      double t0=now_us(); write(ab[1],&b,1); read(ba[0],&b,1); rtt[i]=now_us()-t0;}
    qsort(rtt,n,sizeof*rtt,cmp);
    printf("pause %4d us: round trip p50 %6.1f us, p90 %6.1f us\n",pauses[p],rtt[n/2],rtt[n*9/10]);
  }
  close(ab[1]); return 0;}
