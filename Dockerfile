# One image for the four services; the command picks which one runs.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 WAYSTATION_DATA_DIR=/data
WORKDIR /app
# Mediation embeds this CJK font in agreement PDFs (MEDIATION_AGREEMENT_FONT).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml constraints.txt README.md ./
COPY shared ./shared
COPY services ./services
COPY waystation ./waystation
RUN pip install --no-cache-dir -c constraints.txt . && useradd --system --uid 10001 waystation \
    && mkdir -p /data && chown waystation /data
USER waystation
EXPOSE 8001 8002 8003 8004
ENTRYPOINT ["waystation"]
CMD ["serve", "intake"]
