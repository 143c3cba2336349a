package dev.jipc.pool;

/** The pool contract over the threads start method. */
class PoolThreadsTest extends PoolContract
{
    @Override
    Context newContext()
    {
        return Context.threads();
    }
}
