"""The sections of the supervisor's figures, a room each; ``reports.figures`` lists them
and computes them all from one ``context.Ctx``."""
