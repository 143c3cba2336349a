package dev.jipc.pool;

/** The pool contract over the forkserver start method. */
class PoolForkserverTest extends PoolContract
{
    @Override
    Context newContext()
    {
        return Context.forkserver(2);
    }
}
