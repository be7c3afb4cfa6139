"""The Discord face: interaction in, one core call, embeds out. No business logic here."""
