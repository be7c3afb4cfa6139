"""Work handed from gateways and schedulers to workers through the job queue (procrastinate on
the Postgres store): what a job is, how it is handed over, and how a worker runs and answers it.
"""
