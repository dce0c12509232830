"""Services that combine the data layer with the analysis library."""
