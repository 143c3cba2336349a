package dev.jipc.pool;

/** The pool contract over the spawn start method. */
class PoolSpawnTest extends PoolContract
{
    @Override
    Context newContext()
    {
        return Context.spawn();
    }
}
